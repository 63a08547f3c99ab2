import { createHash } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { BANK_NAMES } from "../../domain/bank-boleto.ts";
import type { Instruction } from "../../domain/cnab/layout.ts";
import { layoutFor } from "../../domain/cnab/layouts.ts";
import { remittanceTitle, type TitleIntent } from "../../domain/cnab/titles.ts";
import { writeCnabFile } from "../../domain/cnab/writer.ts";
import { todayIn } from "../../domain/dates.ts";
import { earlyDiscount, earlyDiscountTerms } from "../../domain/early-discount.ts";
import { applicableFineBps, proRataInterest } from "../../domain/late-charges.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError } from "../../shared/errors.ts";
import { stepTimer } from "../../shared/step-timings.ts";
import { nextRemittanceSequence } from "../bank-accounts/bank-account.repository.ts";
import { getBankAccount } from "../bank-accounts/bank-account.service.ts";
import type { BankAccount } from "../bank-accounts/bank-account.ts";
import { overdueCutoffOf } from "../open-debt/open-debt.service.ts";
import { openInvoicesRelation } from "../open-debt/open-debt.sql.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { insertBankFile } from "./bank-file.repository.ts";

/** What a remittance asked of the bank. */
export interface RemittanceReport {
  /** null when there was nothing to send (no file, no sequence number taken) */
  fileId: string | null;
  accountId: string;
  layout: string;
  bank: string;
  fileSequence: number | null;
  counts: Record<Instruction, number>;
  /** the file's name as banks expect it (CB + day + month + sequence) */
  fileName: string | null;
  content: string;
}

/** Days after the due date before a protest instruction takes effect at the notary. */
export const PROTEST_DAYS = 5;

interface PendingTitle {
  instruction: Instruction;
  id: string;
  external_id: string;
  bank_our_number: string;
  amount_cents: string;
  issue_date: string;
  due_date: string;
  consumer: boolean;
  fine_bps: number | null;
  interest_monthly_bps: number | null;
  early_discount_bps: number | null;
  early_discount_days: number | null;
  document: string;
  name: string;
  address_street: string | null;
  address_number: string | null;
  address_district: string | null;
  address_city: string | null;
  address_state: string | null;
  address_postal_code: string | null;
}

/**
 * The day's remittance of an account, in one transaction: registration of its new boletos, write-off
 * of boletos whose invoice was paid by other means (Pix, transfer…) or cancelled, due-date changes,
 * and protest instructions for overdue boletos of customers in a protest group (the groups' legal
 * rules). Each invoice is marked with what was sent, set-based, so tomorrow's file sends only what
 * changed since. Nothing to send: no file and no sequence number.
 */
export async function createRemittance(
  db: Kysely<Database>,
  tenant: Tenant,
  accountId: string,
  clock: Clock,
): Promise<RemittanceReport> {
  const account = await getBankAccount(db, tenant.id, accountId);
  const layout = layoutFor(account.layout, account.bankCode);
  if (!layout) {
    throw new AppError(
      "validation_failed",
      `accountId: o banco ${account.bankCode} não tem layout ${account.layout}`,
      "accountId",
    );
  }
  const now = clock.now();
  const today = todayIn(tenant.timeZone, now);
  const timer = stepTimer("remittance");
  return db.transaction().execute(async (trx) => {
    const sequence = await nextRemittanceSequence(trx, tenant.id, account.id);
    const titles = await markPendingTitles(trx, tenant.id, account.id, overdueCutoffOf(tenant, today));
    timer.step("mark pending titles");
    const counts: Record<Instruction, number> = { register: 0, write_off: 0, change_due_date: 0, protest: 0 };
    for (const title of titles) counts[title.instruction] += 1;
    const empty = {
      fileId: null,
      accountId: account.id,
      layout: account.layout,
      bank: account.bankCode,
      counts,
    };
    if (titles.length === 0) {
      await trx
        .updateTable("bank_accounts")
        .set({ remittance_sequence: sequence - 1 })
        .where("tenant_id", "=", tenant.id)
        .where("id", "=", account.id)
        .execute();
      return { ...empty, fileSequence: null, fileName: null, content: "" };
    }
    const lines = writeCnabFile(
      layout,
      "remittance",
      {
        companyDocument: tenant.document.replace(/\D/g, ""),
        companyName: tenant.legalName,
        agreement: account.agreementCode,
        agency: account.agency,
        agencyDigit: account.agencyDigit,
        account: account.account,
        accountDigit: account.accountDigit,
        bankName: BANK_NAMES[account.bankCode],
        fileSequence: sequence,
        generatedOn: today,
        wallet: account.wallet,
      },
      (function* () {
        for (const title of titles) yield remittanceTitle(layout, intentOf(tenant, account, title));
      })(),
    );
    // hashed line by line as written: one hash over the joined text would first flatten it whole
    const hash = createHash("sha256");
    const parts: string[] = [];
    for (const line of lines) {
      const text = `${line}\r\n`;
      hash.update(text);
      parts.push(text);
    }
    const content = parts.join("");
    timer.step("write the file");
    const file = await insertBankFile(trx, {
      tenant_id: tenant.id,
      direction: "remittance",
      layout: account.layout,
      bank_code: account.bankCode,
      bank_account_id: account.id,
      sha256: hash.digest("hex"),
      file_sequence: sequence,
      record_count: titles.length,
      content,
    });
    timer.step("store the file");
    return {
      ...empty,
      fileId: file.id,
      fileSequence: sequence,
      fileName: `CB${today.slice(8, 10)}${today.slice(5, 7)}${String(sequence % 100).padStart(2, "0")}.REM`,
      content,
    };
  });
}

/**
 * Marks and returns, set-based, every title of the account the bank must hear about today. Each
 * statement updates the invoices it selects and returns them with their payer, so what is written
 * is exactly what was marked.
 */
async function markPendingTitles(
  trx: Executor,
  tenantId: string,
  accountId: string,
  /** The open-debt rule's overdue cut-off of today (overdueCutoffOf). */
  overdueDueOnOrBefore: string,
): Promise<PendingTitle[]> {
  const payer = sql`c.document, c.name, c.address_street, c.address_number, c.address_district,
    c.address_city, c.address_state, c.address_postal_code`;
  const titleColumns = sql`i.id, i.external_id, i.bank_our_number, i.amount_cents, i.issue_date::text as issue_date,
    i.due_date::text as due_date, i.consumer, coalesce(i.fine_bps, k.fine_bps) as fine_bps,
    coalesce(i.interest_monthly_bps, k.interest_monthly_bps) as interest_monthly_bps,
    k.early_discount_bps, k.early_discount_days`;
  const mine = sql`i.tenant_id = ${tenantId} and i.bank_account_id = ${accountId} and i.bank_our_number is not null
    and c.tenant_id = i.tenant_id and c.id = i.customer_id`;
  const contract = sql`left join contracts k on k.tenant_id = i.tenant_id and k.id = i.contract_id`;
  const run = async (instruction: Instruction, statement: ReturnType<typeof sql>) =>
    (await statement.execute(trx)).rows.map((row) => ({
      ...(row as Omit<PendingTitle, "instruction">),
      instruction,
    }));

  // an invoice paid through this bank (a return's payment) is settled there already
  const paidElsewhere = sql`not exists (select 1 from payments p where p.tenant_id = i.tenant_id
    and p.invoice_id = i.id and p.external_id like 'cnab:%')`;
  return [
    ...(await run(
      "write_off",
      sql`with picked as (
            update invoices i set boleto_write_off_sent = true, updated_at = now()
            from customers c
            where ${mine} and i.status <> 'open' and i.boleto_sent_due_date is not null
              and not i.boleto_write_off_sent and i.boleto_status is distinct from 'written_off'
              and i.boleto_status is distinct from 'rejected' and ${paidElsewhere}
            returning i.*)
          select ${titleColumns}, ${payer} from picked i join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id ${contract}`,
    )),
    ...(await run(
      "change_due_date",
      sql`with picked as (
            update invoices i set boleto_sent_due_date = i.due_date, updated_at = now()
            from customers c
            where ${mine} and i.status = 'open' and i.boleto_sent_due_date is not null
              and i.boleto_sent_due_date <> i.due_date and i.boleto_status is distinct from 'written_off'
              and i.boleto_status is distinct from 'rejected'
            returning i.*)
          select ${titleColumns}, ${payer} from picked i join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id ${contract}`,
    )),
    ...(await run(
      "protest",
      sql`with picked as (
            update invoices i set boleto_protest_sent = true, updated_at = now()
            from customers c
            where ${mine} and i.status = 'open' and i.boleto_status = 'registered' and not i.boleto_protest_sent
              -- overdue and owed as open-debt says: past the payable day, not replaced by an agreement
              and i.id in (select o.id from ${openInvoicesRelation(tenantId, overdueDueOnOrBefore, { onlyOverdue: true })} o)
              and exists (select 1 from customer_group_members m join customer_groups g
                            on g.tenant_id = m.tenant_id and g.id = m.group_id
                          where m.tenant_id = i.tenant_id and m.customer_id = i.customer_id
                            and m.removed_at is null and g.purpose = 'protest')
            returning i.*)
          select ${titleColumns}, ${payer} from picked i join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id ${contract}`,
    )),
    ...(await run(
      "register",
      sql`with picked as (
            update invoices i set boleto_sent_due_date = i.due_date, updated_at = now()
            from customers c
            where ${mine} and i.status = 'open' and i.boleto_sent_due_date is null and i.boleto_status = 'pending'
            returning i.*)
          select ${titleColumns}, ${payer} from picked i join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id ${contract}
          order by i.due_date, i.id`,
    )),
  ];
}

function intentOf(tenant: Tenant, account: BankAccount, title: PendingTitle): TitleIntent {
  const amountCents = Number(title.amount_cents);
  const terms = {
    fineBps: title.fine_bps ?? tenant.defaultFineBps,
    interestMonthlyBps: title.interest_monthly_bps ?? tenant.defaultInterestMonthlyBps,
    consumer: title.consumer,
  };
  // the contract's early-payment discount, by the same rule the Pix charge (cobv) uses
  const discount = earlyDiscount(
    earlyDiscountTerms(title.early_discount_bps, title.early_discount_days),
    amountCents,
    title.due_date,
    title.issue_date,
  );
  const street = [title.address_street, title.address_number].filter(Boolean).join(" ");
  return {
    instruction: title.instruction,
    ourNumber: title.bank_our_number,
    documentNumber: title.external_id,
    dueDate: title.due_date,
    issuedOn: title.issue_date,
    amountCents,
    interestPerDayCents: proRataInterest(amountCents, terms.interestMonthlyBps, 1),
    fineBps: applicableFineBps(terms),
    discountCents: discount?.cents ?? 0,
    discountUntil: discount?.until ?? null,
    protestDays: title.instruction === "protest" ? PROTEST_DAYS : null,
    payer: {
      document: title.document.replace(/\D/g, ""),
      name: title.name,
      address: street,
      district: title.address_district ?? "",
      postalCode: (title.address_postal_code ?? "").replace(/\D/g, "").slice(0, 8),
      city: title.address_city ?? "",
      state: title.address_state ?? "",
    },
    wallet: account.wallet,
  };
}
