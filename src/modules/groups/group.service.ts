import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { BusinessCalendar } from "../../domain/calendar.ts";
import { addDays, daysBetween, formatBrazilianDate, todayIn } from "../../domain/dates.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError, notFound } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import { overdueCutoffOf } from "../open-debt/open-debt.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import type { Actor } from "../tickets/ticket.ts";
import {
  countMemberships,
  deleteGroup,
  findBureauNoticeWaitDays,
  findCandidates,
  findGroupById,
  findGroupByName,
  findGroupsWithCounts,
  findMemberPage,
  findRemovalsDue,
  insertGroup,
  insertMembers,
  markBureauSettled,
  removeMembers,
  updateGroup,
  upsertGroupSettings,
} from "./group.repository.ts";
import type { CustomerGroupRow } from "./group.table.ts";
import {
  BUREAU_REMOVAL_BUSINESS_DAYS,
  type CustomerGroup,
  DEFAULT_BUREAU_NOTICE_WAIT_DAYS,
  type GroupMember,
  type MembershipReport,
  type RefusedMember,
  type RemovalDue,
  type TChangeGroup,
  type TCreateGroup,
  type TGroupSettings,
  ZChangeGroup,
  ZCreateGroup,
  ZGroupSettings,
} from "./group.ts";

function groupFromRow(row: CustomerGroupRow & { members: number; removals_due: number }): CustomerGroup {
  return {
    id: row.id,
    name: row.name,
    purpose: row.purpose,
    description: row.description,
    members: row.members,
    removalsDue: row.removals_due,
    createdAt: row.created_at,
  };
}

/** The creditor's business calendar (national holidays and the tenant's own). */
function tenantCalendar(tenant: Tenant): BusinessCalendar {
  return new BusinessCalendar(tenant.extraHolidays);
}

export async function createGroup(
  db: Kysely<Database>,
  tenantId: string,
  input: TCreateGroup,
): Promise<CustomerGroup> {
  const data = parseInput(ZCreateGroup, input);
  return db.transaction().execute(async (trx) => {
    if (await findGroupByName(trx, tenantId, data.name)) {
      throw new AppError("conflict", `name: já existe um grupo chamado '${data.name}'`, "name");
    }
    const row = await insertGroup(trx, { tenant_id: tenantId, ...data });
    return groupFromRow({ ...row, members: 0, removals_due: 0 });
  });
}

/** Renames a group or changes its description; the purpose cannot change. */
export async function changeGroup(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  input: TChangeGroup,
): Promise<CustomerGroup> {
  const data = parseInput(ZChangeGroup, input);
  return db.transaction().execute(async (trx) => {
    if (data.name !== undefined) {
      const same = await findGroupByName(trx, tenantId, data.name);
      if (same && same.id !== id) {
        throw new AppError("conflict", `name: já existe um grupo chamado '${data.name}'`, "name");
      }
    }
    const change = {
      ...(data.name !== undefined ? { name: data.name } : {}),
      ...(data.description !== undefined ? { description: data.description } : {}),
    };
    if (!(await updateGroup(trx, tenantId, id, change))) throw notFound("Grupo", id);
    return getGroup(trx, tenantId, id);
  });
}

/**
 * Deletes a group nobody is in. A bureau group that ever listed someone is kept: its record of
 * notices, listings and removal deadlines is what answers a debtor's claim (CDC art. 43).
 */
export async function removeGroup(db: Kysely<Database>, tenantId: string, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const group = await findGroupById(trx, tenantId, id);
    if (!group) throw notFound("Grupo", id);
    const memberships = await countMemberships(trx, tenantId, id);
    if (memberships.current > 0) {
      throw new AppError(
        "conflict",
        `o grupo ainda tem ${memberships.current} ${memberships.current === 1 ? "cliente" : "clientes"}; retire-os antes de excluir`,
      );
    }
    if (group.purpose === "bureau" && memberships.ever > 0) {
      throw new AppError(
        "conflict",
        "um grupo de negativação que já teve clientes guarda o registro dos avisos, inclusões e baixas (CDC art. 43) e não pode ser excluído",
      );
    }
    await deleteGroup(trx, tenantId, id);
  });
}

export async function listGroups(db: Executor, tenantId: string): Promise<CustomerGroup[]> {
  return (await findGroupsWithCounts(db, tenantId)).map(groupFromRow);
}

export async function getGroup(db: Executor, tenantId: string, id: string): Promise<CustomerGroup> {
  const [row] = await findGroupsWithCounts(db, tenantId, id);
  if (!row) throw notFound("Grupo", id);
  return groupFromRow(row);
}

export async function getGroupSettings(
  db: Executor,
  tenantId: string,
): Promise<{ bureauNoticeWaitDays: number }> {
  return {
    bureauNoticeWaitDays: (await findBureauNoticeWaitDays(db, tenantId)) ?? DEFAULT_BUREAU_NOTICE_WAIT_DAYS,
  };
}

export async function changeGroupSettings(
  db: Executor,
  tenantId: string,
  input: TGroupSettings,
): Promise<{ bureauNoticeWaitDays: number }> {
  const data = parseInput(ZGroupSettings, input);
  await upsertGroupSettings(db, tenantId, data.bureauNoticeWaitDays);
  return data;
}

/**
 * Why a customer may not enter a bureau group today, or null when they may: CDC art. 43 §2 asks
 * for a written notice before the listing — e-mail or SMS are not enough, a letter is — and market
 * practice waits `waitDays` after it. The notice must concern the debt: a letter sent on or after
 * the due date of the oldest invoice still overdue.
 */
export function bureauRefusal(
  candidate: { oldest_due: string | null; notice_sent_on: string | null },
  today: string,
  waitDays: number,
): string | null {
  if (!candidate.oldest_due) return "não tem fatura vencida em aberto: não há dívida a negativar";
  if (!candidate.notice_sent_on) {
    return `nenhuma carta de notificação enviada desde o vencimento de ${formatBrazilianDate(candidate.oldest_due)}; a negativação exige aviso por escrito (CDC art. 43 §2) — e-mail e SMS não bastam: gere a carta primeiro`;
  }
  const allowedOn = addDays(candidate.notice_sent_on, waitDays);
  if (allowedOn > today) {
    return `carta de notificação enviada em ${formatBrazilianDate(candidate.notice_sent_on)}; a negativação só pode ser feita a partir de ${formatBrazilianDate(allowedOn)} (espera de ${waitDays} dias após o aviso)`;
  }
  return null;
}

/**
 * Adds customers to a group in one transaction. Customers already in it are left as they are;
 * for a bureau group, those who may not be listed yet are refused with the reason, the others
 * added.
 */
export async function addMembers(
  db: Kysely<Database>,
  tenant: Tenant,
  groupId: string,
  customerIds: string[],
  actor: Actor,
  clock: Clock,
): Promise<MembershipReport> {
  const unique = [...new Set(customerIds)];
  const now = clock.now();
  const today = todayIn(tenant.timeZone, now);
  return db.transaction().execute(async (trx) => {
    const group = await findGroupById(trx, tenant.id, groupId);
    if (!group) throw notFound("Grupo", groupId);
    const waitDays = (await getGroupSettings(trx, tenant.id)).bureauNoticeWaitDays;
    const candidates = await findCandidates(
      trx,
      tenant.id,
      groupId,
      unique,
      overdueCutoffOf(tenant, today),
      tenant.timeZone,
    );
    const byId = new Map(candidates.map((candidate) => [candidate.customer_id, candidate]));
    const report: MembershipReport = { added: [], alreadyMembers: [], refused: [] };
    const rows = [];
    for (const customerId of unique) {
      const candidate = byId.get(customerId);
      if (!candidate) {
        report.refused.push({ customerId, name: null, reason: "cliente não encontrado" });
        continue;
      }
      if (candidate.member) {
        report.alreadyMembers.push(customerId);
        continue;
      }
      const refusal = group.purpose === "bureau" ? bureauRefusal(candidate, today, waitDays) : null;
      if (refusal) {
        report.refused.push({ customerId, name: candidate.name, reason: refusal });
        continue;
      }
      report.added.push(customerId);
      rows.push({
        tenant_id: tenant.id,
        group_id: groupId,
        customer_id: customerId,
        added_at: now,
        added_by_kind: actor.kind,
        added_by_id: actor.id,
        notice_message_id: group.purpose === "bureau" ? candidate.notice_message_id : null,
      });
    }
    await insertMembers(trx, rows);
    return report;
  });
}

/** Adds one customer; a refusal is an error naming why (409), an unknown customer a 404. */
export async function addMember(
  db: Kysely<Database>,
  tenant: Tenant,
  groupId: string,
  customerId: string,
  actor: Actor,
  clock: Clock,
): Promise<MembershipReport> {
  const report = await addMembers(db, tenant, groupId, [customerId], actor, clock);
  const refused: RefusedMember | undefined = report.refused[0];
  if (refused?.name === null) throw notFound("Cliente", customerId);
  if (refused) {
    throw new AppError(
      "conflict",
      `customerId: ${refused.name} não pode entrar no grupo: ${refused.reason}`,
      "customerId",
    );
  }
  return report;
}

/** Ends memberships; for a bureau group this is the request to the bureau to drop the listing. */
export async function removeGroupMembers(
  db: Kysely<Database>,
  tenantId: string,
  groupId: string,
  customerIds: string[],
  clock: Clock,
): Promise<{ removed: string[] }> {
  return db.transaction().execute(async (trx) => {
    if (!(await findGroupById(trx, tenantId, groupId))) throw notFound("Grupo", groupId);
    return { removed: await removeMembers(trx, tenantId, groupId, [...new Set(customerIds)], clock.now()) };
  });
}

export async function listMembers(
  db: Executor,
  tenant: Tenant,
  groupId: string,
  options: { limit: number; afterExternalId?: string },
  clock: Clock,
): Promise<(GroupMember & { cursorKey: string })[]> {
  if (!(await findGroupById(db, tenant.id, groupId))) throw notFound("Grupo", groupId);
  const today = todayIn(tenant.timeZone, clock.now());
  const rows = await findMemberPage(db, tenant.id, groupId, {
    ...options,
    overdueDueOnOrBefore: overdueCutoffOf(tenant, today),
    timeZone: tenant.timeZone,
  });
  return rows.map((row) => ({
    customerId: row.customer_id,
    externalId: row.external_id,
    name: row.name,
    document: row.document,
    overdueCents: Number(row.overdue_cents),
    daysOverdue: row.oldest_due ? daysBetween(row.oldest_due, today) : 0,
    addedAt: row.added_at,
    noticeSentOn: row.notice_sent_on,
    settledOn: row.settled_on,
    removalDueOn: row.removal_due_on,
    cursorKey: row.external_id,
  }));
}

/** Bureau listings of paid debtors still to be removed, with their deadline, earliest first. */
export async function listRemovalsDue(db: Executor, tenant: Tenant, clock: Clock): Promise<RemovalDue[]> {
  const today = todayIn(tenant.timeZone, clock.now());
  const calendar = tenantCalendar(tenant);
  return (await findRemovalsDue(db, tenant.id)).map((row) => ({
    groupId: row.group_id,
    groupName: row.group_name,
    customerId: row.customer_id,
    externalId: row.external_id,
    name: row.name,
    document: row.document,
    settledOn: row.settled_on,
    removalDueOn: row.removal_due_on,
    businessDaysLeft: calendar.businessDaysBetween(today, row.removal_due_on),
  }));
}

/**
 * After payments: bureau members of these customers who owe nothing overdue any more are marked
 * paid on `paidOn`; the removal must be asked within 5 business days of it (STJ Súmula 548).
 */
export async function recordBureauSettlements(
  db: Executor,
  tenant: Tenant,
  customerIds: string[],
  paidOn: string,
  today: string,
): Promise<number> {
  if (customerIds.length === 0) return 0;
  const removalDueOn = tenantCalendar(tenant).addBusinessDays(paidOn, BUREAU_REMOVAL_BUSINESS_DAYS);
  return markBureauSettled(db, tenant.id, customerIds, today, paidOn, removalDueOn);
}
