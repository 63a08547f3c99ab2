import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import { addDays, type IsoDate, weekday } from "../../domain/dates.ts";
import { overdueCutoffOf } from "../open-debt/open-debt.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import {
  findAgreementFigures,
  findCachedRecoveryDays,
  findRecovery,
  findRecoveryCheck,
  saveRecoveryDays,
} from "./panel.sql.ts";
import {
  AGING_PHASES,
  type Panel,
  RECOVERY_ATTRIBUTION_DAYS,
  RECOVERY_CHANNELS,
  RECOVERY_WEEKS,
  type RecoveryChannel,
  SMALL_DELAY_DAYS,
} from "./panel.ts";
import { foldPanelRollup } from "./panel-rollup.service.ts";
import { findRolledUpAgingPhases, findRolledUpOverdueCustomers } from "./panel-rollup.sql.ts";

/** The Monday of the week `date` falls in (weeks run Monday to Sunday, as in date_trunc). */
export function weekStartOf(date: IsoDate): IsoDate {
  return addDays(date, -((weekday(date) + 6) % 7));
}

type ByChannel = Record<RecoveryChannel, { cents: number; payments: number }>;

function emptyByChannel(): ByChannel {
  return Object.fromEntries(
    RECOVERY_CHANNELS.map((channel) => [channel, { cents: 0, payments: 0 }]),
  ) as ByChannel;
}

/** Within this time of the previous look at the payments, a load that computed no past day writes nothing. */
const RECHECK_AFTER_MS = 60_000;

/**
 * The recovery of the last RECOVERY_WEEKS weeks, by week. A past day is read as stored when it was
 * first computed unless a payment was recorded into it since; today, and the days from the first
 * one missing or changed, are computed now and the past ones stored. In steady use that is two
 * statements at once (the stored days, today) and no write.
 */
async function recoveryByWeek(
  db: Kysely<Database>,
  tenant: Tenant,
  today: IsoDate,
): Promise<Map<IsoDate, ByChannel>> {
  const currentWeek = weekStartOf(today);
  const firstDay = addDays(currentWeek, -7 * (RECOVERY_WEEKS - 1));
  // the clock is read first: a payment recorded into a past day after it is found by the next load
  const check = await findRecoveryCheck(db, tenant.id);
  const [stored, todayRows] = await Promise.all([
    findCachedRecoveryDays(db, tenant.id, tenant.timeZone, firstDay, today),
    findRecovery(db, tenant.id, tenant.timeZone, today, today),
  ]);
  const cached = new Map(
    stored.filter((entry) => !entry.stale).map((entry) => [entry.day, entry.by_channel as ByChannel]),
  );
  let firstToCompute = firstDay;
  while (firstToCompute < today && cached.has(firstToCompute)) firstToCompute = addDays(firstToCompute, 1);
  const pastRows =
    firstToCompute < today
      ? await findRecovery(db, tenant.id, tenant.timeZone, firstToCompute, addDays(today, -1))
      : [];

  const days = new Map<IsoDate, ByChannel>();
  for (let day = firstDay; day <= today; day = addDays(day, 1))
    days.set(day, day < firstToCompute ? { ...emptyByChannel(), ...cached.get(day) } : emptyByChannel());
  for (const row of [...pastRows, ...todayRows]) {
    const day = days.get(row.day);
    if (!day) continue;
    const channel = (RECOVERY_CHANNELS as readonly string[]).includes(row.channel)
      ? (row.channel as RecoveryChannel)
      : "none";
    day[channel] = { cents: day[channel].cents + row.cents, payments: day[channel].payments + row.payments };
  }
  const computedPast = [...days].filter(([day]) => day >= firstToCompute && day < today);
  const lookedLongAgo =
    check.checked_at === null || check.now.getTime() - check.checked_at.getTime() > RECHECK_AFTER_MS;
  if (computedPast.length > 0 || lookedLongAgo) {
    await saveRecoveryDays(
      db,
      tenant.id,
      tenant.timeZone,
      computedPast.map(([day, byChannel]) => ({ day, byChannel })),
      check.now,
    );
  }

  const weeks = new Map<IsoDate, ByChannel>();
  for (const [day, byChannel] of days) {
    const start = weekStartOf(day);
    const week = weeks.get(start) ?? emptyByChannel();
    for (const channel of RECOVERY_CHANNELS) {
      week[channel] = {
        cents: week[channel].cents + byChannel[channel].cents,
        payments: week[channel].payments + byChannel[channel].payments,
      };
    }
    weeks.set(start, week);
  }
  return weeks;
}

/**
 * The delinquency panel of a tenant on its day `today` (glossary in panel.ts). The parts are
 * independent; on PostgreSQL they run at once on separate pooled connections. `readDb` (the read
 * replica, or `db` itself) serves the agreement figures; the overdue figures and the recovery by
 * week stay on `db`, the primary, because reading them tops up their rollups (a replica's copy of a
 * rollup may lag the fold just made, and one written from a lagging replica could mark a day fresh
 * that misses a payment the primary already has).
 */
export async function getPanel(
  db: Kysely<Database>,
  tenant: Tenant,
  today: IsoDate,
  readDb: Kysely<Database> = db,
  /** how long to fold before reading (PANEL_FOLD_BUDGET_MS on screen); default: until up to date */
  foldBudgetMs = Number.POSITIVE_INFINITY,
): Promise<Panel> {
  // the overdue figures are the rollup's tenant sums (a few thousand rows however large the
  // portfolio), its stale customers folded in first
  const fold = await foldPanelRollup(db, tenant.id, foldBudgetMs);
  const cutoff = overdueCutoffOf(tenant, today);
  const [phases, customers, recovery, agreements] = await Promise.all([
    findRolledUpAgingPhases(db, tenant.id, today, cutoff),
    findRolledUpOverdueCustomers(db, tenant.id, today, cutoff),
    recoveryByWeek(db, tenant, today),
    findAgreementFigures(readDb, tenant.id),
  ]);

  const weeks = [...recovery].map(([weekStart, byChannel]) => ({
    weekStart,
    weekEnd: addDays(weekStart, 6),
    totalCents: RECOVERY_CHANNELS.reduce((sum, channel) => sum + byChannel[channel].cents, 0),
    payments: RECOVERY_CHANNELS.reduce((sum, channel) => sum + byChannel[channel].payments, 0),
    byChannel: Object.fromEntries(
      RECOVERY_CHANNELS.map((channel) => [channel, byChannel[channel].cents]),
    ) as Record<RecoveryChannel, number>,
  }));

  const counted = agreements.active + agreements.completed + agreements.broken;
  const aging = AGING_PHASES.map((phase, index) => {
    const row = phases.find((candidate) => candidate.phase === index + 1);
    return {
      phase: phase.key,
      fromDays: phase.fromDays,
      toDays: phase.toDays,
      cents: row?.cents ?? 0,
      invoices: row?.invoices ?? 0,
    };
  });
  // the first phase is exactly the small delays (1 to SMALL_DELAY_DAYS days)
  const small = aging.filter((phase) => phase.toDays !== null && phase.toDays <= SMALL_DELAY_DAYS);
  const sum = (phases: typeof aging, pick: "cents" | "invoices") =>
    phases.reduce((total, phase) => total + phase[pick], 0);
  const late = aging.filter((phase) => !small.includes(phase));
  return {
    asOf: today,
    pendingCustomers: fold.pending,
    overdue: {
      cents: sum(aging, "cents"),
      invoices: sum(aging, "invoices"),
      customers: customers.customers,
    },
    smallDelays: {
      cents: sum(small, "cents"),
      invoices: sum(small, "invoices"),
      customers: customers.small_customers,
    },
    delinquent: {
      cents: sum(late, "cents"),
      invoices: sum(late, "invoices"),
      customers: customers.late_customers,
    },
    aging,
    recovery: { attributionDays: RECOVERY_ATTRIBUTION_DAYS, weeks },
    agreements: {
      proposed: agreements.proposed,
      active: agreements.active,
      activeCents: agreements.active_cents,
      completed: agreements.completed,
      broken: agreements.broken,
      brokenRate: counted === 0 ? null : agreements.broken / counted,
    },
  };
}
