import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError, notFound, validationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import {
  findContractsOfCustomer,
  lockContract,
  updateContractPlan,
} from "../contracts/contract.repository.ts";
import { getCustomer } from "../customers/customer.service.ts";
import { findPixSettings } from "../pix/pix.repository.ts";
import { publishEvent } from "../webhooks/webhook.service.ts";
import {
  findCatalogue,
  findRequestsOfCustomer,
  insertRequest,
  lockRequest,
  setRequestStatus,
  upsertCatalogue,
} from "./plan-change.repository.ts";
import type { PlanChangeRequestRow } from "./plan-change.table.ts";
import {
  PAYMENT_METHODS,
  type PaymentMethod,
  type PlanChangeRequest,
  REQUEST_EVENTS,
  type TPlanCatalogue,
  ZPlanCatalogue,
} from "./plan-change.ts";

export function requestFromRow(row: PlanChangeRequestRow): PlanChangeRequest {
  return {
    id: row.id,
    customerId: row.customer_id,
    contractId: row.contract_id,
    kind: row.kind,
    currentValue: row.current_value,
    requestedValue: row.requested_value,
    monthlyPriceCents: row.monthly_price_cents,
    status: row.status,
    requestedAt: row.requested_at,
    decidedAt: row.decided_at,
  };
}

/** The creditor's plans a debtor may ask for (empty until the creditor sets them). */
export async function getPlanCatalogue(db: Executor, tenantId: string): Promise<TPlanCatalogue> {
  return { plans: ZPlanCatalogue.shape.plans.parse(await findCatalogue(db, tenantId)) };
}

/** Replaces the catalogue; requests already made keep the price they were made with. */
export async function updatePlanCatalogue(
  db: Executor,
  tenantId: string,
  input: unknown,
  clock: Clock,
): Promise<TPlanCatalogue> {
  const catalogue = parseInput(ZPlanCatalogue, input);
  await upsertCatalogue(db, tenantId, catalogue.plans, clock.now());
  return catalogue;
}

/** Boleto and Pix always; Pix Automático when the creditor has its Pix settings (the PSP does the recurrence). */
export async function availablePaymentMethods(db: Executor, tenantId: string): Promise<PaymentMethod[]> {
  const pix = await findPixSettings(db, tenantId);
  return PAYMENT_METHODS.filter((method) => method !== "pix_automatico" || pix !== undefined);
}

export interface PlanAndPayment {
  contracts: { id: string; externalId: string; plan: string; paymentMethod: PaymentMethod }[];
  catalogue: TPlanCatalogue["plans"];
  paymentMethods: PaymentMethod[];
  requests: PlanChangeRequest[];
}

/** What "Meu plano e pagamento" shows: each contract's plan and payment method, what may be asked, what was. */
export async function planAndPayment(
  db: Executor,
  tenantId: string,
  customerId: string,
): Promise<PlanAndPayment> {
  const contracts = await findContractsOfCustomer(db, tenantId, customerId);
  return {
    contracts: contracts
      .filter((contract) => contract.status !== "cancelled")
      .map((contract) => ({
        id: contract.id,
        externalId: contract.external_id,
        plan: contract.plan,
        paymentMethod: contract.payment_method,
      })),
    catalogue: (await getPlanCatalogue(db, tenantId)).plans,
    paymentMethods: await availablePaymentMethods(db, tenantId),
    requests: (await findRequestsOfCustomer(db, tenantId, customerId)).map(requestFromRow),
  };
}

/** One request of a kind waits on a contract at a time: the creditor answers it before another. */
function refuseWhileWaiting(requests: PlanChangeRequest[], contractId: string, kind: string): void {
  const waiting = requests.some(
    (request) => request.contractId === contractId && request.kind === kind && request.status === "requested",
  );
  if (waiting) {
    throw new AppError(
      "conflict",
      "Já há um pedido de troca aguardando a resposta do credor para este contrato",
    );
  }
}

export interface CheckedPlanChange {
  contract: PlanAndPayment["contracts"][number];
  kind: "plan" | "payment_method";
  current: string;
  requested: string;
  monthlyPriceCents: number | null;
}

/**
 * What a request would ask, checked as `requestPlanChange` checks it (the portal's review shows
 * it): the customer's own contract, a plan of the catalogue or an offered payment method, not the
 * one in use, no other request of that kind waiting on the contract.
 */
export async function checkPlanChange(
  db: Executor,
  tenantId: string,
  customerId: string,
  input: { contractId: string; kind: "plan" | "payment_method"; value: string },
): Promise<CheckedPlanChange> {
  const options = await planAndPayment(db, tenantId, customerId);
  const contract = options.contracts.find((candidate) => candidate.id === input.contractId);
  if (!contract) throw notFound("Contrato", input.contractId);
  const field = input.kind === "plan" ? "plan" : "paymentMethod";
  let current: string;
  let requested: string;
  let monthlyPriceCents: number | null = null;
  if (input.kind === "plan") {
    const plan = options.catalogue.find((candidate) => candidate.name === input.value);
    if (!plan) throw validationError(field, "plan: escolha um dos planos oferecidos pelo credor");
    current = contract.plan;
    requested = plan.name;
    monthlyPriceCents = plan.monthlyPriceCents;
  } else {
    const method = options.paymentMethods.find((candidate) => candidate === input.value);
    if (!method) throw validationError(field, "paymentMethod: escolha um dos meios de pagamento oferecidos");
    current = contract.paymentMethod;
    requested = method;
  }
  if (requested === current)
    throw validationError(field, `${field}: já é o que o contrato usa; escolha outro`);
  refuseWhileWaiting(options.requests, contract.id, input.kind);
  return { contract, kind: input.kind, current, requested, monthlyPriceCents };
}

/**
 * Records the debtor's request for another plan (one of the catalogue) or payment method on one of
 * their contracts, and publishes `customer.plan_change_requested` or
 * `customer.payment_method_change_requested` in the same transaction. Nothing changes on the
 * contract until the creditor confirms.
 */
export async function requestPlanChange(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
  input: { contractId: string; kind: "plan" | "payment_method"; value: string },
  clock: Clock,
): Promise<PlanChangeRequest> {
  const now = clock.now();
  const { contract, current, requested, monthlyPriceCents } = await checkPlanChange(
    db,
    tenantId,
    customerId,
    input,
  );
  return db.transaction().execute(async (trx) => {
    // two requests at once on one contract: the second sees the first once the lock is released
    await lockContract(trx, tenantId, contract.id);
    const requests = (await findRequestsOfCustomer(trx, tenantId, customerId)).map(requestFromRow);
    refuseWhileWaiting(requests, contract.id, input.kind);
    const request = requestFromRow(
      await insertRequest(trx, {
        tenant_id: tenantId,
        customer_id: customerId,
        contract_id: contract.id,
        kind: input.kind,
        current_value: current,
        requested_value: requested,
        monthly_price_cents: monthlyPriceCents,
        requested_at: now,
      }),
    );
    await publishEvent(trx, {
      tenantId,
      type: REQUEST_EVENTS[input.kind],
      customerId,
      data: { request, contract: { id: contract.id, externalId: contract.externalId } },
      occurredAt: now,
    });
    return request;
  });
}

/** The customer's requests, newest first; another tenant's customer is not found. */
export async function listPlanChangeRequests(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
): Promise<PlanChangeRequest[]> {
  await getCustomer(db, tenantId, customerId);
  return (await findRequestsOfCustomer(db, tenantId, customerId)).map(requestFromRow);
}

/**
 * The creditor's decision on a request: confirmed moves the contract to the plan or payment method
 * asked for; declined leaves it. A request is decided once (409 after that).
 */
export async function decidePlanChange(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  decision: "confirmed" | "declined",
  clock: Clock,
): Promise<PlanChangeRequest> {
  return db.transaction().execute(async (trx) => {
    const row = await lockRequest(trx, tenantId, id);
    if (!row) throw notFound("Pedido de troca", id);
    if (row.status !== "requested") {
      throw new AppError(
        "invalid_transition",
        `Este pedido já foi ${row.status === "confirmed" ? "confirmado" : "recusado"}`,
      );
    }
    if (decision === "confirmed") {
      await lockContract(trx, tenantId, row.contract_id);
      await updateContractPlan(
        trx,
        tenantId,
        row.contract_id,
        row.kind === "plan"
          ? { plan: row.requested_value }
          : { payment_method: row.requested_value as PaymentMethod },
      );
    }
    return requestFromRow(await setRequestStatus(trx, tenantId, id, decision, clock.now()));
  });
}
