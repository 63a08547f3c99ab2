-- Early-payment discount (desconto até a data) of a contract: a percentage of the invoice's face
-- value, granted when it is paid up to `early_discount_days` days before its due date (0: up to the
-- due date itself). Both set or neither. The one rule that turns them into cents and a date is
-- src/domain/early-discount.ts; the boleto's registration (CNAB) and the Pix charge (cobv) both use it.
alter table contracts
  add column early_discount_bps integer check (early_discount_bps > 0 and early_discount_bps < 10000),
  add column early_discount_days integer check (early_discount_days >= 0 and early_discount_days <= 90),
  add constraint contracts_early_discount_both check ((early_discount_bps is null) = (early_discount_days is null));
