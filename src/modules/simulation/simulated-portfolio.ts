import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { addDays, type IsoDate } from "../../domain/dates.ts";
import {
  type Archetype,
  type BehaviourParameters,
  drawArchetype,
  drawInvoice,
  type SimulatedStep,
  simulateInvoice,
} from "../../domain/payer-behaviour.ts";
import { Random } from "../demo/random.ts";

/**
 * A history drawn from the behaviour model and written into a tenant: customers of known
 * archetypes, a monthly invoice each for `months` months up to `today`, and the payments their
 * archetype and the régua's `steps` produced. Used where the truth must be known: the payment
 * model's tests and the AUC that `regua simulate` reports. Written set-based (unnest).
 */
export interface PortfolioSpec {
  tenantId: string;
  seed: number;
  customers: number;
  months: number;
  today: IsoDate;
  behaviour: BehaviourParameters;
  steps: SimulatedStep[];
  /** prefix of the external ids, so that two portfolios can share a tenant */
  prefix?: string;
}

export interface PortfolioTruth {
  archetypeOf: Map<string, Archetype>;
  invoices: number;
  paid: number;
}

/** Median invoice in reais by archetype: the short of cash owe more than they can pay at once. */
const MEDIAN_REAIS: Record<Archetype, number> = {
  forgetful: 120,
  short_of_cash: 260,
  strategic: 180,
  never_pay: 200,
};

export async function writeSimulatedPortfolio(db: Executor, spec: PortfolioSpec): Promise<PortfolioTruth> {
  const prefix = spec.prefix ?? `sim${spec.seed}`;
  const customers = {
    external: [] as string[],
    name: [] as string[],
    document: [] as string[],
    kind: [] as string[],
  };
  const contacts = { customer: [] as string[], channel: [] as string[], value: [] as string[] };
  const invoices = {
    external: [] as string[],
    customer: [] as string[],
    amount: [] as number[],
    issue: [] as string[],
    due: [] as string[],
    paidAt: [] as (string | null)[],
  };
  const truth: PortfolioTruth = { archetypeOf: new Map(), invoices: 0, paid: 0 };
  for (let c = 0; c < spec.customers; c++) {
    const random = new Random(spec.seed, c + 1);
    const uniforms = () => random.next();
    const archetype = drawArchetype(spec.behaviour, uniforms());
    const profile = drawInvoice(spec.behaviour, uniforms, archetype);
    const external = `${prefix}-c${c + 1}`;
    truth.archetypeOf.set(external, archetype);
    customers.external.push(external);
    customers.name.push(`Cliente simulado ${c + 1}`);
    customers.document.push(String(10_000_000_000 + c).padStart(11, "0"));
    customers.kind.push(uniforms() < 0.2 ? "company" : "person");
    if (profile.contacts.email) {
      contacts.customer.push(external);
      contacts.channel.push("email");
      contacts.value.push(`${external}@exemplo.com.br`);
    }
    if (profile.contacts.sms) {
      contacts.customer.push(external);
      contacts.channel.push("sms");
      contacts.value.push(`+55119${String(10_000_000 + c).slice(-8)}`);
    }
    const dueDay = 5 + Math.floor(uniforms() * 20);
    const median = MEDIAN_REAIS[archetype];
    for (let m = spec.months; m >= 1; m--) {
      const due = monthlyDue(spec.today, m, dueDay);
      if (due > spec.today) continue;
      const draw = { ...drawInvoice(spec.behaviour, uniforms, archetype), contacts: profile.contacts };
      const outcome = simulateInvoice(spec.behaviour, draw, spec.steps);
      const amountCents = Math.max(1_000, Math.round(median * 100 * Math.exp(0.5 * normal(uniforms))));
      const paidOn = outcome.paidDay === null ? null : addDays(due, outcome.paidDay);
      const paid = paidOn !== null && paidOn <= spec.today;
      invoices.external.push(`${external}-f${m}`);
      invoices.customer.push(external);
      invoices.amount.push(amountCents);
      invoices.issue.push(addDays(due, -15));
      invoices.due.push(due);
      invoices.paidAt.push(paid ? `${paidOn}T15:00:00Z` : null);
      truth.invoices++;
      if (paid) truth.paid++;
    }
  }
  await sql`
    insert into customers (tenant_id, external_id, name, document, kind, address_street, address_postal_code, address_state)
    select ${spec.tenantId}::uuid, x.external_id, x.name, x.document, x.kind, 'Rua Simulada, 1', '01310-100', 'SP'
    from unnest(${customers.external}::text[], ${customers.name}::text[], ${customers.document}::text[], ${customers.kind}::text[])
      as x (external_id, name, document, kind)`.execute(db);
  await sql`
    insert into contacts (tenant_id, customer_id, channel, value)
    select ${spec.tenantId}::uuid, c.id, x.channel, x.value
    from unnest(${contacts.customer}::text[], ${contacts.channel}::text[], ${contacts.value}::text[]) as x (customer, channel, value)
    join customers c on c.tenant_id = ${spec.tenantId}::uuid and c.external_id = x.customer`.execute(db);
  await sql`
    insert into invoices (tenant_id, external_id, customer_id, amount_cents, issue_date, due_date, status, paid_cents, paid_at)
    select ${spec.tenantId}::uuid, x.external_id, c.id, x.amount, x.issue, x.due,
      case when x.paid_at is null then 'open' else 'paid' end,
      case when x.paid_at is null then 0 else x.amount end, x.paid_at
    from unnest(${invoices.external}::text[], ${invoices.customer}::text[], ${invoices.amount}::bigint[],
      ${invoices.issue}::date[], ${invoices.due}::date[], ${invoices.paidAt}::timestamptz[])
      as x (external_id, customer, amount, issue, due, paid_at)
    join customers c on c.tenant_id = ${spec.tenantId}::uuid and c.external_id = x.customer`.execute(db);
  await sql`
    insert into payments (tenant_id, external_id, invoice_id, invoice_external_id, amount_cents, method, paid_at)
    select i.tenant_id, 'pg-' || i.external_id, i.id, i.external_id, i.amount_cents, 'pix', i.paid_at
    from invoices i
    where i.tenant_id = ${spec.tenantId}::uuid and i.status = 'paid' and i.external_id like ${`${prefix}-%`}`.execute(
    db,
  );
  return truth;
}

/** The due date `monthsBack` months before today's month, on `day`. */
function monthlyDue(today: IsoDate, monthsBack: number, day: number): IsoDate {
  const [year, month] = today.split("-").map(Number) as [number, number];
  const index = year * 12 + (month - 1) - monthsBack + 1;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${y}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** A standard normal draw (Box–Muller). */
function normal(uniforms: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - uniforms())) * Math.cos(2 * Math.PI * uniforms());
}
