import { BusinessCalendar } from "../../domain/calendar.ts";
import { dayNumber, fromDayNumber, type IsoDate, isIsoDate } from "../../domain/dates.ts";
import { formatDocument, generateCnpj, generateCpf } from "../../domain/documents.ts";
import { computeLateCharges } from "../../domain/late-charges.ts";
import type { Cents } from "../../domain/money.ts";
import { validationError } from "../../shared/errors.ts";
import {
  COMPANY_PATTERNS,
  DEMO_CITIES,
  type DemoCity,
  DISTRICTS,
  FEMALE_FIRST_NAMES,
  MALE_FIRST_NAMES,
  PERSONAL_EMAIL_DOMAINS,
  STREETS,
  SURNAMES,
  TRADE_WORDS,
} from "./demo-data.ts";
import { Random, weightedPicker } from "./random.ts";

/**
 * The demo portfolio: a fictional recurring-revenue business's customers, their monthly invoices
 * and the payments made on them, as rows in the shapes `regua import` reads (import contract), so
 * the demo goes through the same validation as a real customer's files.
 *
 * What it looks like (the generator tests hold it to these ranges):
 * - 85% people with CPFs, 15% companies with CNPJs (a tenth of those alphanumeric, issued since
 *   July 2026); ~60 real cities with their UF, DDD and CEP range, weighted toward the big capitals.
 * - One invoice a month per customer on the customer's billing day, due from `today − 90` to
 *   `today + 30`; customers who joined inside the window have fewer.
 * - Payer profiles: ~60% punctual, ~27% sometimes late (half of their invoices paid 6–25 days
 *   late with fine and interest), ~13% delinquent (stopped paying 1–3 invoices ago; oldest unpaid
 *   invoice 1–90 days overdue; some paid part of one). Card customers (autopay) are punctual.
 * - Payments by boleto, Pix or card, never dated today or later.
 * - Net effect (seed-independent within a few points): ~90% of past-due invoices paid, ~12% of
 *   the paid ones late; ~15% of customers with an invoice more than 5 days overdue.
 *
 * Determinism: every customer draws from its own PRNG stream (seed, index), so the same seed and
 * `today` give the same rows whatever the chunk size; only document uniqueness is carried across.
 */

export type CsvRow = Record<string, string>;

export interface DemoChunk {
  /** Index (0-based) of the chunk's first customer in the portfolio. */
  firstCustomer: number;
  customers: CsvRow[];
  invoices: CsvRow[];
  payments: CsvRow[];
}

export interface DemoPortfolioOptions {
  /** How many customers (default 2,000). */
  customers?: number;
  /** PRNG seed (default 2026). */
  seed?: number;
  /** The day the portfolio is seen from: invoices fall due around it, payments happen before it. */
  today: IsoDate;
  /** Customers per chunk (default 5,000): bounds the memory whatever the portfolio size. */
  chunkSize?: number;
  /**
   * Late-charge rates the creditor bills (the tenant's defaults, which the invoices inherit), so a
   * late payment pays exactly principal + fine + interest. Default: 2% fine, 1% a month.
   */
  rates?: { fineBps: number; interestMonthlyBps: number };
}

export const DEMO_DEFAULT_CUSTOMERS = 2_000;
export const DEMO_DEFAULT_SEED = 2026;
export const DEMO_DEFAULT_CHUNK_SIZE = 5_000;
/** First and last due date of the window, in days from `today`. */
export const DEMO_WINDOW = { from: -90, to: 30 } as const;

interface Plan {
  tag: string;
  name: string;
  cents: Cents;
}

const PLANS = {
  basico: { tag: "plano-basico", name: "Plano Básico", cents: 4_990 },
  plus: { tag: "plano-plus", name: "Plano Plus", cents: 9_990 },
  pro: { tag: "plano-pro", name: "Plano Pro", cents: 19_990 },
  empresarial: { tag: "plano-empresarial", name: "Plano Empresarial", cents: 49_900 },
  corporativo: { tag: "plano-corporativo", name: "Plano Corporativo", cents: 199_000 },
} satisfies Record<string, Plan>;

const pickPersonPlan = weightedPicker<[Plan, number]>(
  [
    [PLANS.basico, 50],
    [PLANS.plus, 32],
    [PLANS.pro, 18],
  ],
  ([, weight]) => weight,
);
const pickCompanyPlan = weightedPicker<[Plan, number]>(
  [
    [PLANS.pro, 30],
    [PLANS.empresarial, 48],
    [PLANS.corporativo, 22],
  ],
  ([, weight]) => weight,
);
const pickCity = weightedPicker(DEMO_CITIES, (city) => city.weight);

type Method = "boleto" | "pix" | "card";
const pickMethod = weightedPicker<[Method, number]>(
  [
    ["boleto", 45],
    ["pix", 38],
    ["card", 17],
  ],
  ([, weight]) => weight,
);

type Profile = "punctual" | "sometimes-late" | "delinquent";
const pickProfile = weightedPicker<[Profile, number]>(
  [
    ["punctual", 60],
    ["sometimes-late", 27],
    ["delinquent", 13],
  ],
  ([, weight]) => weight,
);

/** Billing days: most businesses bill on a few round days. */
const pickBillingDay = weightedPicker<[number, number]>(
  [
    [5, 30],
    [10, 30],
    [15, 15],
    [20, 15],
    [25, 10],
  ],
  ([, weight]) => weight,
);

/** Surnames that usually carry a particle ("Maria da Silva", "João dos Santos"). */
const PARTICLE_OF: Readonly<Record<string, string>> = {
  Silva: "da",
  Santos: "dos",
  Souza: "de",
  Costa: "da",
  Nascimento: "do",
  Rocha: "da",
};

/**
 * Yields the demo portfolio in chunks of customers with their invoices and payments. The caller
 * imports (or writes) one chunk before asking for the next, so 200,000 customers never sit in
 * memory at once.
 */
export function* generateDemoPortfolio(options: DemoPortfolioOptions): Generator<DemoChunk> {
  const total = options.customers ?? DEMO_DEFAULT_CUSTOMERS;
  const seed = options.seed ?? DEMO_DEFAULT_SEED;
  const chunkSize = options.chunkSize ?? DEMO_DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(total) || total < 0) {
    throw validationError("customers", `número de clientes ${total} inválido; use um inteiro a partir de 0`);
  }
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw validationError(
      "chunkSize",
      `tamanho de bloco ${chunkSize} inválido; use um inteiro a partir de 1`,
    );
  }
  if (!isIsoDate(options.today)) {
    throw validationError("today", `data de referência '${options.today}' inválida; use AAAA-MM-DD`);
  }
  const context: Context = {
    seed,
    todayNumber: dayNumber(options.today),
    idWidth: Math.max(6, String(total).length),
    rates: options.rates ?? { fineBps: 200, interestMonthlyBps: 100 },
    calendar: new BusinessCalendar(),
    documents: new Set<string>(),
  };
  for (let first = 0; first < total; first += chunkSize) {
    const chunk: DemoChunk = { firstCustomer: first, customers: [], invoices: [], payments: [] };
    const last = Math.min(total, first + chunkSize);
    for (let index = first; index < last; index += 1) generateCustomer(context, index, chunk);
    yield chunk;
  }
}

interface Context {
  seed: number;
  todayNumber: number;
  idWidth: number;
  rates: { fineBps: number; interestMonthlyBps: number };
  calendar: BusinessCalendar;
  /** Documents handed out so far: a portfolio never has two customers with one CPF/CNPJ. */
  documents: Set<string>;
}

function generateCustomer(context: Context, index: number, chunk: DemoChunk): void {
  const random = new Random(context.seed, index + 1);
  const number = String(index + 1).padStart(context.idWidth, "0");
  const externalId = `demo-cli-${number}`;
  const company = random.chance(0.15);
  const city = pickCity(random);
  const method = pickMethod(random)[0];
  const plan = (company ? pickCompanyPlan(random) : pickPersonPlan(random))[0];

  const identity = company ? companyIdentity(random, city) : personIdentity(random);
  const document = uniqueDocument(context, random, company);
  const hasMobile = random.chance(company ? 0.85 : 0.94);
  const mobile = hasMobile
    ? `+55${city.areaCode}9${random.int(6000, 9999)}${pad(random.int(0, 9999), 4)}`
    : "";
  const tags = [plan.tag];
  if (company) tags.push("pj");
  if (plan.cents >= PLANS.pro.cents && random.chance(0.12)) tags.push("vip");
  if (method === "card") tags.push("cartao-recorrente");

  const row: CsvRow = {
    external_id: externalId,
    name: identity.name,
    document: formatDocument(document),
    kind: company ? "company" : "person",
    email: identity.email,
    mobile,
    whatsapp: hasMobile && random.chance(0.65) ? "sim" : "não",
    street: random.pick(STREETS),
    number: String(random.int(1, 3200)),
    district: random.pick(DISTRICTS),
    city: city.name,
    state: city.state,
    postal_code: `${pad(random.int(city.postalCodeFrom, city.postalCodeTo), 5)}-${pad(random.int(0, 999), 3)}`,
    tags: tags.join("|"),
  };
  chunk.customers.push(row);

  // Card customers are charged automatically: they are the punctual ones.
  const profile: Profile = method === "card" && random.chance(0.9) ? "punctual" : pickProfile(random)[0];
  generateInvoices(context, random, { number, externalId, company, plan, method, profile }, chunk);
}

interface CustomerPlan {
  number: string;
  externalId: string;
  company: boolean;
  plan: Plan;
  method: Method;
  profile: Profile;
}

function generateInvoices(context: Context, random: Random, customer: CustomerPlan, chunk: DemoChunk): void {
  const billingDay = random.chance(0.8) ? pickBillingDay(random)[0] : random.int(1, 28);
  const windowStart = context.todayNumber + DEMO_WINDOW.from;
  const windowEnd = context.todayNumber + DEMO_WINDOW.to;
  // Most customers are older than the window; some joined inside it and have fewer invoices.
  const joinedOn = random.chance(0.12) ? context.todayNumber - random.int(0, 80) : windowStart - 400;

  const dueDates: number[] = [];
  const startMonth = monthOf(fromDayNumber(windowStart));
  for (let offset = 0; offset < 6; offset += 1) {
    const due = dayNumber(monthStart(startMonth, offset)) + billingDay - 1;
    if (due >= windowStart && due <= windowEnd && due >= joinedOn + 10) dueDates.push(due);
  }

  const pastDue = dueDates.filter((due) => due < context.todayNumber).length;
  // A delinquent customer stopped paying 1–3 invoices ago (never more than it has past due).
  const unpaidFrom =
    customer.profile === "delinquent"
      ? pastDue - Math.min(pastDue, random.int(1, 3))
      : Number.POSITIVE_INFINITY;
  const partialOnIndex = customer.profile === "delinquent" && random.chance(0.15) ? unpaidFrom : -1;

  dueDates.forEach((due, position) => {
    const dueDate = fromDayNumber(due);
    const month = dueDate.slice(0, 7);
    const invoiceId = `demo-fat-${customer.number}-${month.replace("-", "")}`;
    const issue = Math.min(due - 10, context.todayNumber);
    chunk.invoices.push({
      external_id: invoiceId,
      customer_external_id: customer.externalId,
      description: `Mensalidade ${customer.plan.name} — ${month.slice(5, 7)}/${month.slice(0, 4)}`,
      amount: formatAmount(customer.plan.cents),
      issue_date: fromDayNumber(issue),
      due_date: dueDate,
      fine_percent: "",
      interest_percent: "",
      consumer: customer.company ? "não" : "sim",
      status: "open",
    });

    const payment = paymentOf(
      context,
      random,
      customer,
      due,
      position >= unpaidFrom,
      position === partialOnIndex,
    );
    if (payment) {
      chunk.payments.push({
        external_id: `demo-pag-${customer.number}-${month.replace("-", "")}`,
        invoice_external_id: invoiceId,
        amount: formatAmount(payment.cents),
        paid_at: payment.paidAt,
        method: payment.method,
      });
    }
  });
}

/** When and how much the customer paid on an invoice, or null while it is unpaid. */
function paymentOf(
  context: Context,
  random: Random,
  customer: CustomerPlan,
  due: number,
  unpaid: boolean,
  partial: boolean,
): { cents: Cents; paidAt: string; method: Method } | null {
  const method = random.chance(0.85) ? customer.method : "pix";
  if (partial) {
    // Paid part of the first unpaid invoice after it fell due: still open, with less owed.
    const paidOn = due + random.int(1, 20);
    if (paidOn >= context.todayNumber) return null;
    return { cents: Math.round(customer.plan.cents / 2), paidAt: instantOf(random, paidOn), method };
  }
  if (unpaid) return null;
  const late =
    (customer.profile === "sometimes-late" && random.chance(0.5)) ||
    (customer.profile === "delinquent" && random.chance(0.5));
  // At least 6 days late: beyond any weekend-and-holiday grace (Lei 7.089/1983) in any state, so
  // the charges do not depend on which calendar the importer applies.
  const paidOn = late ? due + random.int(6, 25) : due - (customer.method === "card" ? 0 : random.int(0, 4));
  if (paidOn >= context.todayNumber) return null;
  const charges = computeLateCharges(
    {
      principalCents: customer.plan.cents,
      dueDate: fromDayNumber(due),
      terms: { ...context.rates, consumer: !customer.company },
      calendar: context.calendar,
    },
    fromDayNumber(paidOn),
  );
  return { cents: charges.totalCents, paidAt: instantOf(random, paidOn), method };
}

function personIdentity(random: Random): { name: string; email: string } {
  const female = random.chance(0.5);
  const first = random.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES);
  const middle = random.chance(0.2) ? random.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES) : null;
  const surnames = random.chance(0.6)
    ? [random.pick(SURNAMES), random.pick(SURNAMES)]
    : [random.pick(SURNAMES)];
  if (surnames.length === 2 && surnames[0] === surnames[1]) surnames.pop();
  const parts = [first, ...(middle && middle !== first ? [middle] : [])];
  for (const surname of surnames) {
    const particle = PARTICLE_OF[surname];
    parts.push(particle && random.chance(0.4) ? `${particle} ${surname}` : surname);
  }
  const last = surnames[surnames.length - 1]!;
  // Some debtors have no email on file: the letter step of the régua is for them.
  const email = random.chance(0.8)
    ? `${asciiLower(first)}${random.pick([".", "_", ""])}${asciiLower(last)}${random.chance(0.5) ? String(random.int(1, 99)) : ""}@${random.pick(PERSONAL_EMAIL_DOMAINS)}`
    : "";
  return { name: parts.join(" "), email };
}

function companyIdentity(random: Random, city: DemoCity): { name: string; email: string } {
  const pattern = random.pick(COMPANY_PATTERNS);
  const word = random.pick(TRADE_WORDS);
  const name = pattern
    .replace("{s}", random.pick(SURNAMES))
    .replace("{t}", random.pick(SURNAMES))
    .replace("{w}", word)
    .replace("{c}", city.name);
  // Company mailboxes live under the reserved .example top-level domain (RFC 2606).
  const domain = `${asciiLower(name.replace(/ (Ltda|ME|EPP|SLU)$/, "")).replace(/[^a-z0-9]+/g, "-")}.example`;
  const email = random.chance(0.95) ? `${random.pick(["financeiro", "contato", "contas"])}@${domain}` : "";
  return { name, email };
}

function uniqueDocument(context: Context, random: Random, company: boolean): string {
  const draw = () => random.next();
  for (;;) {
    const document = company ? generateCnpj(draw, { alphanumeric: random.chance(0.1) }) : generateCpf(draw);
    if (!context.documents.has(document)) {
      context.documents.add(document);
      return document;
    }
  }
}

/** An instant on that day in Brasília time (UTC−3, no daylight saving since 2019), in business hours. */
function instantOf(random: Random, day: number): string {
  return `${fromDayNumber(day)}T${pad(random.int(7, 21), 2)}:${pad(random.int(0, 59), 2)}:${pad(random.int(0, 59), 2)}-03:00`;
}

/** '1.990,00': the Brazilian format a spreadsheet export carries. */
export function formatAmount(cents: Cents): string {
  const reais = Math.floor(cents / 100);
  const grouped = String(reais).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${grouped},${pad(cents % 100, 2)}`;
}

function asciiLower(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/** 'YYYY-MM' of a date. */
function monthOf(date: IsoDate): string {
  return date.slice(0, 7);
}

/** The first day of the month `offset` months after 'YYYY-MM'. */
function monthStart(month: string, offset: number): IsoDate {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + offset;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1, 2)}-01`;
}
