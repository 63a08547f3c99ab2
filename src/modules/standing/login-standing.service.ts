import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/database.ts";
import { BusinessCalendar } from "../../domain/calendar.ts";
import { type IsoDate, todayIn } from "../../domain/dates.ts";
import { formatBrl } from "../../domain/money.ts";
import type { Standing, StandingThresholds } from "../../domain/standing.ts";
import { evaluateStanding } from "../../domain/standing.ts";
import type { Clock } from "../../shared/clock.ts";
import { notFound } from "../../shared/errors.ts";
import { governingPolicy } from "../actions/planner.sql.ts";
import { amountDue, SettlementLoader } from "../invoices/invoice.service.ts";
import { listPolicies } from "../policies/policy.service.ts";
import { getTenant } from "../tenants/tenant.service.ts";
import { getCustomerStanding } from "./standing.service.ts";

/**
 * What a creditor's login screen shows about a customer: the standing the engine recorded, the
 * days overdue of the oldest unpaid invoice, a pt-BR message with the policy's thresholds
 * (warning after `warningDays`, blocked after `suspendedDays`) and what is still to pay.
 */
export interface PendingInvoice {
  id: string;
  externalId: string;
  description: string;
  dueDate: IsoDate;
  totalDueCents: number;
  typeableLine: string | null;
  pixPayload: string | null;
}

export interface LoginStanding {
  customerId: string;
  status: Standing;
  /** true when the login screen should block access (suspended or cancelled). */
  blocked: boolean;
  daysOverdue: number;
  thresholds: { warningDays: number; suspendedDays: number };
  message: string;
  asOf: IsoDate;
  pending: PendingInvoice[];
}

const DEFAULT_THRESHOLDS: StandingThresholds = {
  warningDays: 5,
  suspendedDays: 20,
  cancelledDays: 60,
  dayKind: "calendar",
  minimumCents: 0,
};

function messageOf(
  status: Standing,
  days: number,
  thresholds: StandingThresholds,
  totalCents: number,
): string {
  const total = formatBrl(totalCents);
  switch (status) {
    case "ok":
      return days > 0
        ? `Você tem ${total} em aberto, vencido há ${days} dia(s). Pague para manter o acesso em dia.`
        : "Sua conta está em dia.";
    case "warning": {
      const left = Math.max(thresholds.suspendedDays - days, 1);
      return `Há ${total} em atraso há ${days} dia(s). Regularize em até ${left} dia(s) para evitar o bloqueio do acesso.`;
    }
    case "suspended":
      return `Acesso bloqueado por falta de pagamento (${days} dias de atraso). Pague o boleto pendente de ${total} para liberar.`;
    case "cancelled":
      return `Contrato cancelado por falta de pagamento. Ainda é possível pagar os ${total} em aberto; fale com o atendimento.`;
  }
}

export async function getLoginStanding(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
  clock: Clock,
): Promise<LoginStanding> {
  const tenant = await getTenant(db, tenantId);
  const customer = await db
    .selectFrom("customers")
    .select(["id"])
    .where("tenant_id", "=", tenantId)
    .where("id", "=", customerId)
    .executeTakeFirst();
  if (!customer) throw notFound("Cliente", customerId);
  const today = todayIn(tenant.timeZone, clock.now());
  const open = await db
    .selectFrom("invoices")
    .select(["id", "external_id", "description", "due_date", "typeable_line", "pix_payload"])
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .where("status", "=", "open")
    .orderBy("due_date")
    .orderBy("id")
    .limit(50)
    .execute();
  // The policy that governs the oldest open invoice (the planner's own rule) sets the thresholds.
  const governing = open[0]
    ? await sql<{ policy_id: string | null }>`
        select ${governingPolicy()} as policy_id
        from invoices i
        join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id
        left join contracts ct on ct.tenant_id = i.tenant_id and ct.id = i.contract_id
        where i.tenant_id = ${tenantId} and i.id = ${open[0].id}`.execute(db)
    : undefined;
  const policyId = governing?.rows[0]?.policy_id ?? null;
  const policy = policyId
    ? (await listPolicies(db, tenantId)).find((candidate) => candidate.id === policyId)
    : undefined;
  const thresholds = policy?.standing ?? DEFAULT_THRESHOLDS;

  const contexts = await new SettlementLoader(tenant).load(
    db,
    open.map((row) => row.id),
  );
  const pending: PendingInvoice[] = open.map((row) => {
    const found = contexts.get(row.id);
    return {
      id: row.id,
      externalId: row.external_id,
      description: row.description,
      dueDate: row.due_date,
      totalDueCents: found ? amountDue(found.context, today).totalDueCents : 0,
      typeableLine: row.typeable_line,
      pixPayload: row.pix_payload,
    };
  });
  const calendar = new BusinessCalendar(tenant.extraHolidays);
  const recorded = (await getCustomerStanding(db, tenantId, customerId)).find(
    (subject) => subject.subjectKind === "customer",
  );
  const paused = await db
    .selectFrom("customer_pauses")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .where("kind", "=", "pause")
    .where("released_at", "is", null)
    .where("until", ">=", today)
    .executeTakeFirst();
  // The engine records standing once a day; the login screen evaluates the same rule now, from
  // the recorded standing, so that a payment or a new day shows at once.
  const overdue = pending.filter((invoice) => invoice.dueDate < today);
  const decision = evaluateStanding(
    {
      current: recorded?.standing ?? "ok",
      oldestUnpaidDue: overdue[0]?.dueDate ?? null,
      overdueCents: overdue.reduce((sum, invoice) => sum + invoice.totalDueCents, 0),
      thresholds,
      paused: paused !== undefined,
      reopenedOn: null,
    },
    today,
    calendar,
  );
  const status = decision.standing;
  const days = decision.daysOverdue;
  const totalCents = pending.reduce((sum, invoice) => sum + invoice.totalDueCents, 0);
  return {
    customerId,
    status,
    blocked: status === "suspended" || status === "cancelled",
    daysOverdue: days,
    thresholds: { warningDays: thresholds.warningDays, suspendedDays: thresholds.suspendedDays },
    message: messageOf(status, days, thresholds, totalCents),
    asOf: today,
    pending,
  };
}
