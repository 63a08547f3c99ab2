-- Where each payment came in (the payments use case, src/modules/payments/payment-effects.service.ts):
-- the API, a CSV import, a gateway notification, a bank return file or a Pix webhook. Earlier
-- payments came through the API or a CSV; they are read as 'api'.
alter table payments add column source text not null default 'api'
  check (source in ('api', 'csv', 'gateway', 'bank_file', 'pix'));
