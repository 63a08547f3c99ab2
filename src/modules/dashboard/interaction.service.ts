import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { addDays, formatBrazilianDate, todayIn } from "../../domain/dates.ts";
import { dashboardCustomers } from "../../i18n/pt-BR/dashboard-customers.ts";
import type { Clock } from "../../shared/clock.ts";
import { notFound, validationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import { findCustomerById } from "../customers/customer.repository.ts";
import { pauseCustomer } from "../standing/standing.service.ts";
import {
  insertInteraction,
  releaseOpenPauses,
  skipPlannedActionsOfCustomer,
  updateCreditLimit,
} from "./interaction.repository.ts";
import type { CustomerInteractionRow } from "./interaction.table.ts";
import {
  type Interaction,
  MAX_PAUSE_DAYS,
  MAX_PROMISE_DAYS,
  type TAddNote,
  type TCreditLimit,
  type TLogCall,
  type TPauseCollection,
  ZAddNote,
  ZCreditLimit,
  ZLogCall,
  ZPauseCollection,
} from "./interaction.ts";

const callText = dashboardCustomers.actions.call;

export function interactionFromRow(row: CustomerInteractionRow): Interaction {
  return {
    id: row.id,
    customerId: row.customer_id,
    kind: row.kind,
    body: row.body,
    outcome: row.outcome,
    promisedOn: row.promised_on,
    promisedCents: row.promised_cents,
    operatorId: row.operator_id,
    createdAt: row.created_at,
  };
}

/** The customer of the tenant, or not_found (another tenant's id is simply not found). */
async function requireCustomer(db: Executor, tenantId: string, customerId: string) {
  const customer = await findCustomerById(db, tenantId, customerId);
  if (!customer) throw notFound("Cliente", customerId);
  return customer;
}

/**
 * Records a phone call with its outcome and, when the debtor promised to pay, the day and amount.
 * A promise is about days to come: from the call's own day (in the creditor's zone) up to
 * MAX_PROMISE_DAYS ahead, since a later one is an agreement to negotiate, not a promise.
 */
export async function logCall(
  db: Executor,
  tenant: { id: string; timeZone: string },
  customerId: string,
  input: TLogCall,
  operatorId: string | null,
  clock: Clock,
): Promise<Interaction> {
  const call = parseInput(ZLogCall, input);
  if (call.promisedOn != null) {
    const today = todayIn(tenant.timeZone, clock.now());
    const latest = addDays(today, MAX_PROMISE_DAYS);
    if (call.promisedOn < today)
      throw validationError("promisedOn", callText.promiseBeforeCall(formatBrazilianDate(today)));
    if (call.promisedOn > latest)
      throw validationError(
        "promisedOn",
        callText.promiseTooFar(MAX_PROMISE_DAYS, formatBrazilianDate(latest)),
      );
  }
  const tenantId = tenant.id;
  await requireCustomer(db, tenantId, customerId);
  const row = await insertInteraction(db, {
    tenant_id: tenantId,
    customer_id: customerId,
    kind: "call",
    body: call.body,
    outcome: call.outcome,
    promised_on: call.promisedOn ?? null,
    promised_cents: call.promisedCents ?? null,
    operator_id: operatorId,
    created_at: clock.now(),
  });
  return interactionFromRow(row);
}

export async function addNote(
  db: Executor,
  tenantId: string,
  customerId: string,
  input: TAddNote,
  operatorId: string | null,
  clock: Clock,
): Promise<Interaction> {
  const note = parseInput(ZAddNote, input);
  await requireCustomer(db, tenantId, customerId);
  const row = await insertInteraction(db, {
    tenant_id: tenantId,
    customer_id: customerId,
    kind: "note",
    body: note.body,
    outcome: null,
    promised_on: null,
    promised_cents: null,
    operator_id: operatorId,
    created_at: clock.now(),
  });
  return interactionFromRow(row);
}

export interface CollectionPause {
  id: string;
  customerId: string;
  until: string;
  reason: string;
  /** Actions already planned (not yet sent) that the pause stopped. */
  skippedActions: number;
}

/**
 * Pauses the régua for a customer until a day, inclusive: from the next planning on the planner
 * skips them (reason "paused") and their standing does not worsen; actions already planned and
 * not yet sent up to that day are skipped at once, so nothing goes out after the operator paused.
 * A new pause replaces the one in force, so a pause is shortened or extended by pausing again.
 */
export async function pauseCollection(
  db: Kysely<Database>,
  tenant: { id: string; timeZone: string },
  customerId: string,
  input: TPauseCollection,
  clock: Clock,
): Promise<CollectionPause> {
  const pause = parseInput(ZPauseCollection, input);
  const today = todayIn(tenant.timeZone, clock.now());
  return db.transaction().execute(async (trx) => {
    await requireCustomer(trx, tenant.id, customerId);
    if (pause.until < today)
      throw validationError(
        "until",
        `Pausar até: a data deve ser hoje (${formatBrazilianDate(today)}) ou depois`,
      );
    const latest = addDays(today, MAX_PAUSE_DAYS);
    if (pause.until > latest)
      throw validationError(
        "until",
        `Pausar até: no máximo ${MAX_PAUSE_DAYS} dias à frente (até ${formatBrazilianDate(latest)})`,
      );
    await releaseOpenPauses(trx, tenant.id, customerId, clock.now());
    const id = await pauseCustomer(trx, tenant.id, customerId, pause, clock.now());
    const skippedActions = await skipPlannedActionsOfCustomer(
      trx,
      tenant.id,
      customerId,
      pause.until,
      clock.now(),
    );
    return { id, customerId, until: pause.until, reason: pause.reason, skippedActions };
  });
}

/**
 * Lifts the customer's pause before its date: the régua plans for them again from the next run
 * (actions the pause already skipped stay skipped).
 */
export async function liftPause(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
  clock: Clock,
): Promise<{ customerId: string; lifted: number }> {
  return db.transaction().execute(async (trx) => {
    await requireCustomer(trx, tenantId, customerId);
    const lifted = await releaseOpenPauses(trx, tenantId, customerId, clock.now());
    if (lifted === 0) throw validationError("pause", "Este cliente não tem pausa em vigor");
    return { customerId, lifted };
  });
}

/** Sets (or clears, with null) the customer's credit limit; the customer view flags debts above it. */
export async function setCreditLimit(
  db: Executor,
  tenantId: string,
  customerId: string,
  input: TCreditLimit,
  clock: Clock,
): Promise<{ customerId: string; creditLimitCents: number | null }> {
  const { creditLimitCents } = parseInput(ZCreditLimit, input);
  if (!(await updateCreditLimit(db, tenantId, customerId, creditLimitCents, clock.now())))
    throw notFound("Cliente", customerId);
  return { customerId, creditLimitCents };
}
