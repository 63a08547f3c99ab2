import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { Executor } from "../../db/database.ts";
import { inTransaction } from "../../db/transaction.ts";
import { contactRules } from "../../i18n/pt-BR/contact-rules.ts";
import { AppError, notFound, validationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import { unknownTemplateNames } from "../templates/template-names.ts";
import { DEFAULT_CONTACT_WINDOWS, DEFAULT_POLICY } from "./default-policy.ts";
import {
  deletePolicyRow,
  findContactWindows,
  findPolicies,
  findPolicyByName,
  findStepsOfTenant,
  insertContactWindows,
  insertPolicy,
  lockPolicyByName,
  replaceSteps,
  updatePolicyRow,
  upsertAssignment,
} from "./policy.repository.ts";
import type {
  ChannelName,
  ContactWindowRow,
  NewPolicyRow,
  PolicyRow,
  PolicyStepRow,
} from "./policy.table.ts";
import {
  type Policy,
  type PolicyStep,
  stepLabel,
  type TPolicy,
  type TValidPolicy,
  ZPolicy,
} from "./policy.ts";

export function policyFromRows(row: PolicyRow, steps: PolicyStepRow[]): Policy {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    description: row.description,
    priority: row.priority,
    active: row.active,
    segment: {
      tags: row.segment_tags,
      kind: row.segment_kind,
      minAmountCents: row.segment_min_amount_cents,
      maxAmountCents: row.segment_max_amount_cents,
      plans: row.segment_plans,
      scoreBands: row.segment_score_bands,
    },
    standing: {
      warningDays: row.warning_days,
      suspendedDays: row.suspended_days,
      cancelledDays: row.cancelled_days,
      dayKind: row.standing_day_kind,
      minimumCents: row.standing_min_amount_cents,
    },
    groupByCustomer: row.group_by_customer,
    frequencyCap: {
      perChannelPerDay: row.max_messages_per_channel_per_day,
      perChannelPerWeek: row.max_messages_per_channel_per_week,
    },
    steps: steps
      .filter((step) => step.policy_id === row.id)
      .sort((a, b) => a.position - b.position)
      .map(stepFromRow),
  };
}

function stepFromRow(row: PolicyStepRow): PolicyStep {
  return {
    id: row.id,
    name: row.name,
    offsetDays: row.offset_days,
    dayKind: row.day_kind,
    channels: row.channels,
    templates: row.templates as Partial<Record<ChannelName, string>>,
    conditions: {
      minAmountCents: row.min_amount_cents,
      maxAmountCents: row.max_amount_cents,
      verifiedContactsOnly: row.verified_contacts_only,
      onlyWithoutChannel: row.only_without_channel,
      onlyIf:
        row.only_if_step && row.only_if_outcome
          ? { step: row.only_if_step, outcome: row.only_if_outcome }
          : null,
      scoreBands: row.score_bands,
    },
    window:
      row.window_start && row.window_end
        ? { start: hhmm(row.window_start), end: hhmm(row.window_end) }
        : null,
    attachLetter: row.attach_letter,
  };
}

function hhmm(time: string): string {
  return time.slice(0, 5);
}

function policyColumns(policy: TValidPolicy): Omit<NewPolicyRow, "tenant_id"> {
  return {
    name: policy.name,
    description: policy.description,
    priority: policy.priority,
    active: policy.active,
    segment_tags: policy.segment.tags,
    segment_kind: policy.segment.kind,
    segment_min_amount_cents: policy.segment.minAmountCents,
    segment_max_amount_cents: policy.segment.maxAmountCents,
    segment_plans: policy.segment.plans,
    segment_score_bands: policy.segment.scoreBands,
    warning_days: policy.standing.warningDays,
    suspended_days: policy.standing.suspendedDays,
    cancelled_days: policy.standing.cancelledDays,
    standing_day_kind: policy.standing.dayKind,
    standing_min_amount_cents: policy.standing.minimumCents,
    group_by_customer: policy.groupByCustomer,
    max_messages_per_channel_per_day: policy.frequencyCap.perChannelPerDay,
    max_messages_per_channel_per_week: policy.frequencyCap.perChannelPerWeek,
  };
}

function stepColumns(policy: TValidPolicy) {
  return policy.steps.map((step, position) => ({
    name: step.name,
    position,
    offset_days: step.offsetDays,
    day_kind: step.dayKind,
    channels: step.channels,
    templates: JSON.stringify(step.templates),
    min_amount_cents: step.conditions.minAmountCents,
    max_amount_cents: step.conditions.maxAmountCents,
    verified_contacts_only: step.conditions.verifiedContactsOnly,
    only_without_channel: step.conditions.onlyWithoutChannel,
    only_if_step: step.conditions.onlyIf?.step ?? null,
    only_if_outcome: step.conditions.onlyIf?.outcome ?? null,
    score_bands: step.conditions.scoreBands,
    window_start: step.window?.start ?? null,
    window_end: step.window?.end ?? null,
    attach_letter: step.attachLetter,
  }));
}

/**
 * Creates the policy or replaces the one with the same name, after validating it whole: a policy
 * with two steps on the same day and channel, an offset beyond ±365 days, an unknown template or
 * an empty channel list is refused with a message naming the step.
 */
export async function savePolicy(db: Executor, tenantId: string, input: TPolicy): Promise<Policy> {
  const policy = parseInput(ZPolicy, input);
  await checkTemplateNames(db, tenantId, policy);
  return inTransaction(db, async (trx) => {
    const existing = await lockPolicyByName(trx, tenantId, policy.name);
    const row = existing
      ? await updatePolicyRow(trx, tenantId, existing.id, policyColumns(policy))
      : await insertPolicy(trx, { tenant_id: tenantId, ...policyColumns(policy) });
    await replaceSteps(trx, tenantId, row.id, stepColumns(policy));
    return getPolicy(trx, tenantId, policy.name);
  });
}

/**
 * Refuses a policy naming a template the tenant does not have (its own stored templates and the
 * defaults, read from the database: unknownTemplateNames), naming the first such step. A webhook
 * step's template only labels the event it sends; nothing is rendered from it.
 */
async function checkTemplateNames(db: Executor, tenantId: string, policy: TValidPolicy): Promise<void> {
  const uses = policy.steps.flatMap((step, index) =>
    step.channels
      .filter((channel) => channel !== "webhook")
      .map((channel) => ({ step, index, channel, name: step.templates[channel]! })),
  );
  const unknown = new Set(
    await unknownTemplateNames(
      db,
      tenantId,
      uses.map((use) => use.name),
    ),
  );
  const first = uses.find((use) => unknown.has(use.name));
  if (!first) return;
  const field = `steps.${first.index}.templates.${first.channel}`;
  const example = `${first.channel}.${stepLabel(first.step.offsetDays).replace("D", "d")}`;
  throw validationError(
    field,
    `${field}: passo "${first.step.name}": ${contactRules.templates.unknown(first.name, example)}`,
  );
}

export async function listPolicies(db: Executor, tenantId: string): Promise<Policy[]> {
  const [rows, steps] = await Promise.all([findPolicies(db, tenantId), findStepsOfTenant(db, tenantId)]);
  return rows.map((row) => policyFromRows(row, steps));
}

export async function getPolicy(db: Executor, tenantId: string, name: string): Promise<Policy> {
  const row = await findPolicyByName(db, tenantId, name);
  if (!row) throw notFound("régua", `"${name}"`);
  return policyFromRows(row, await findStepsOfTenant(db, tenantId));
}

export async function deletePolicy(db: Executor, tenantId: string, name: string): Promise<void> {
  const row = await findPolicyByName(db, tenantId, name);
  if (!row) throw notFound("régua", `"${name}"`);
  await deletePolicyRow(db, tenantId, row.id);
}

/** The policy as the YAML/JSON document a user edits (no ids). */
export function policyDocument(policy: Policy): TValidPolicy {
  return {
    name: policy.name,
    description: policy.description,
    priority: policy.priority,
    active: policy.active,
    segment: policy.segment,
    standing: policy.standing,
    groupByCustomer: policy.groupByCustomer,
    frequencyCap: policy.frequencyCap,
    steps: policy.steps.map((step) => ({
      name: step.name,
      offsetDays: step.offsetDays,
      dayKind: step.dayKind,
      channels: step.channels,
      templates: step.templates as Record<string, string>,
      conditions: step.conditions,
      window: step.window,
      attachLetter: step.attachLetter,
    })),
  };
}

/**
 * Reads a YAML file holding one policy or a list of them and saves each (all or none). Errors name
 * the policy and the step.
 */
export async function importPoliciesYaml(db: Executor, tenantId: string, text: string): Promise<Policy[]> {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw validationError("arquivo", `YAML inválido: ${(error as Error).message}`);
  }
  const items = Array.isArray(document)
    ? document
    : document && typeof document === "object" && "policies" in document
      ? (document as { policies: unknown }).policies
      : [document];
  if (!Array.isArray(items) || items.length === 0) {
    throw validationError(
      "arquivo",
      "o arquivo não contém nenhuma régua (use uma régua ou `policies: [...]`)",
    );
  }
  return inTransaction(db, async (trx) => {
    const saved: Policy[] = [];
    for (const [index, item] of items.entries()) {
      try {
        saved.push(await savePolicy(trx, tenantId, item as TPolicy));
      } catch (error) {
        if (error instanceof AppError && items.length > 1) {
          const name = (item as { name?: unknown })?.name;
          throw new AppError(
            error.code,
            `régua ${index + 1}${name ? ` ("${String(name)}")` : ""}: ${error.message}`,
            error.field,
          );
        }
        throw error;
      }
    }
    return saved;
  });
}

/** The tenant's policies (or the one named) as YAML, in the shape `importPoliciesYaml` reads. */
export async function exportPoliciesYaml(db: Executor, tenantId: string, name?: string): Promise<string> {
  const policies = name ? [await getPolicy(db, tenantId, name)] : await listPolicies(db, tenantId);
  const documents = policies.map(policyDocument);
  return stringifyYaml(name ? documents[0] : { policies: documents });
}

/**
 * Gives a tenant the seeds' régua and the default contact windows when it has none; safe to call
 * again. Called when a tenant is created.
 */
export async function ensureDefaultPolicy(db: Executor, tenantId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await ensureContactWindows(trx, tenantId);
    const existing = await findPolicies(trx, tenantId);
    if (existing.length === 0) await savePolicy(trx, tenantId, DEFAULT_POLICY);
  });
}

export interface ContactWindow {
  state: string;
  weekday: { start: string; end: string };
  saturday: { start: string; end: string } | null;
}

export async function ensureContactWindows(db: Executor, tenantId: string): Promise<void> {
  await insertContactWindows(
    db,
    DEFAULT_CONTACT_WINDOWS.map((window) => ({
      tenant_id: tenantId,
      state: window.state,
      weekday_start: window.weekdayStart,
      weekday_end: window.weekdayEnd,
      saturday_start: window.saturdayStart,
      saturday_end: window.saturdayEnd,
    })),
  );
}

/** The tenant's contact windows; the defaults are written first when the tenant has none. */
export async function loadContactWindows(db: Executor, tenantId: string): Promise<ContactWindow[]> {
  let rows: ContactWindowRow[] = await findContactWindows(db, tenantId);
  if (rows.length === 0) {
    await ensureContactWindows(db, tenantId);
    rows = await findContactWindows(db, tenantId);
  }
  return rows.map((row) => ({
    state: row.state,
    weekday: { start: hhmm(row.weekday_start), end: hhmm(row.weekday_end) },
    saturday:
      row.saturday_start && row.saturday_end
        ? { start: hhmm(row.saturday_start), end: hhmm(row.saturday_end) }
        : null,
  }));
}

/** Governs a customer or a contract by a named policy, whatever the priority order says. */
export async function assignPolicy(
  db: Executor,
  tenantId: string,
  policyName: string,
  subject: { customerId: string } | { contractId: string },
): Promise<void> {
  const policy = await findPolicyByName(db, tenantId, policyName);
  if (!policy) throw notFound("régua", `"${policyName}"`);
  await inTransaction(db, (trx) => upsertAssignment(trx, tenantId, policy.id, subject));
}
