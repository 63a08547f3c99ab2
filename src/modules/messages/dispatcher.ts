import { ChannelError } from "../../channels/channel.ts";
import { ChannelRegistry, type SendingChannel } from "../../channels/registry.ts";
import { isDatabaseUnavailable } from "../../db/connection-errors.ts";
import type { Executor } from "../../db/database.ts";
import { RateBuckets } from "../../db/rate-buckets.ts";
import { todayIn } from "../../domain/dates.ts";
import { dispatchReasons } from "../../i18n/pt-BR/dispatch.ts";
import { messagesTotal } from "../../observability/metrics.ts";
import type { Clock } from "../../shared/clock.ts";
import { publicUrl, smtpConnections } from "../../shared/config.ts";
import { planDay } from "../actions/planner.ts";
import { findMessagingSettings } from "../templates/template.repository.ts";
import type { MessagingSettingsRow } from "../templates/template.table.ts";
import { getTenant } from "../tenants/tenant.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { publishDueCollectionSteps } from "../webhooks/collection-steps.ts";
import {
  analyzeMessages,
  claimMessages,
  type MessageOutcome,
  markContactsUnusable,
  queueDueActions,
} from "./message.repository.ts";
import type { MessageRow } from "./message.table.ts";
import { groupBy } from "./message-batch.ts";
import { DEFAULT_LEASE_MS, HeldClaims } from "./message-leases.ts";
import { prepareMessages } from "./message-preparation.ts";
import { type Prepared, undecided } from "./prepared-message.ts";

/**
 * Glossary: the dispatcher turns due planned actions into messages and sends them. A message is
 * queued (waiting, maybe for a retry), sending (claimed by a worker: written before the provider
 * is called, so a restart knows the send may have happened), sent, delivered (the provider said
 * so), failed, bounced (the address does not exist) or skipped (with the reason).
 */
export interface DispatcherOptions {
  clock: Clock;
  /** messages claimed per batch (default 200) */
  batchSize?: number;
  /** sends in flight at once (default 32) */
  concurrency?: number;
  /** attempts before a transient failure becomes final (default 8) */
  maxAttempts?: number;
  /** first retry delay; doubles each attempt up to maxBackoffMs (default 30 s, 1 h) */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * how long a claim holds without a heartbeat (default 10 s, renewed every third of it while the
   * worker lives): a dead worker's messages are taken over after at most this (message-leases.ts)
   */
  leaseMs?: number;
  /**
   * the fewest completed sends worth one write of their outcomes (default 1: commit as sends
   * complete; see recordingFor)
   */
  recordEvery?: number;
  /**
   * how long completed sends gather before a write of their outcomes (default 0; see
   * recordingFor): a few milliseconds turn one write per send into one per handful
   */
  recordGatherMs?: number;
  /** only this tenant's messages */
  tenantId?: string;
  /** SMTP_URL / EMAIL_FROM of the process */
  smtpUrl?: string | null;
  emailFrom?: string | null;
  smtpConnections?: number;
  random?: () => number;
}

export interface DispatchReport {
  queued: number;
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  bounced: number;
  skipped: number;
}

/** Retry delay after `attempts` tries: exponential, capped, with jitter (half to all of it). */
export function backoffMs(attempts: number, base: number, max: number, random: () => number): number {
  const exponential = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}

/** Queued at once, enough to change how the planner should read `messages` (see analyzeMessages). */
const ANALYZE_AFTER_QUEUED = 1000;

function emptyReport(): DispatchReport {
  return { queued: 0, claimed: 0, sent: 0, retried: 0, failed: 0, bounced: 0, skipped: 0 };
}

interface ClaimedBatch {
  now: Date;
  queued: number;
  rows: number;
  tenants: { prepared: Prepared[]; settings: MessagingSettingsRow | undefined }[];
}

export class Dispatcher {
  private readonly db: Executor;
  private readonly options: DispatcherOptions;
  private readonly registry: ChannelRegistry;
  /** Sends per second per tenant and channel, shared by every worker on the database. */
  private readonly sendRates: RateBuckets;
  private readonly tenants = new Map<string, Tenant>();
  /**
   * what became due again since drain last looked: actions the fallback re-planning wrote (see
   * replanFallbacks), and messages put back unsent to go at once (see sendOne)
   */
  private dueAgain = 0;
  private readonly random: () => number;
  /** The messages claimed and not yet recorded, whose leases the heartbeat renews. */
  private readonly claims: HeldClaims;

  constructor(db: Executor, options: DispatcherOptions) {
    this.db = db;
    this.options = options;
    this.sendRates = new RateBuckets(db);
    this.random = options.random ?? Math.random;
    this.claims = new HeldClaims(db, options.clock, options.leaseMs ?? DEFAULT_LEASE_MS);
    this.registry = new ChannelRegistry(db, {
      smtpUrl: options.smtpUrl ?? null,
      emailFrom: options.emailFrom ?? null,
      publicUrl: publicUrl(),
      ...(options.smtpConnections ? { smtpConnections: options.smtpConnections } : {}),
      smtpInFlight: options.concurrency ?? 32,
    });
  }

  /**
   * Sends until nothing is due now; the report adds up every batch. Batches overlap: the next one
   * is claimed and rendered while the current one is on the wire, so the providers never wait
   * for the database.
   */
  async drain(): Promise<DispatchReport> {
    const total = emptyReport();
    this.claims.start();
    let pending = this.claimBatch();
    try {
      for (;;) {
        const claimed = await pending;
        total.queued += claimed.queued;
        if (claimed.rows === 0) {
          // the claim ran beside the last batch: what that batch made due again is due now too
          if (this.dueAgain === 0) return total;
          this.dueAgain = 0;
          pending = this.claimBatch();
          continue;
        }
        pending = this.claimBatch();
        // awaited on the next turn; this keeps a failure there from being reported as unhandled
        pending.catch(() => undefined);
        const report = await this.sendBatch(claimed);
        for (const key of Object.keys(total) as (keyof DispatchReport)[]) {
          if (key !== "queued") total[key] += report[key];
        }
      }
    } finally {
      // a failed drain leaves its unrecorded claims to run out with their leases (seconds)
      await pending.catch(() => undefined);
      await this.claims.stop();
    }
  }

  /** One batch: queue due actions, claim messages, render, send, record. */
  async dispatchBatch(): Promise<DispatchReport> {
    this.claims.start();
    try {
      const claimed = await this.claimBatch();
      const report = await this.sendBatch(claimed);
      report.queued = claimed.queued;
      return report;
    } finally {
      await this.claims.stop();
    }
  }

  /** Queues due actions, claims a batch of messages and renders them (recording what needs no provider). */
  private async claimBatch(): Promise<ClaimedBatch> {
    const now = this.options.clock.now();
    const batchSize = this.options.batchSize ?? 200;
    const leaseMs = this.options.leaseMs ?? DEFAULT_LEASE_MS;
    // the régua's webhook steps go out as events through the webhooks module, whatever messages
    // are waiting
    await publishDueCollectionSteps(this.db, now, batchSize * 4, this.options.tenantId);
    // Queued messages go first; due actions become messages only when those do not fill the
    // batch. Queueing looks past every planned action that already has its message (they stay
    // planned until recorded), so queueing on every batch of a backlog would read the whole
    // backlog once per batch.
    const rows = await claimMessages(this.db, now, batchSize, leaseMs, this.options.tenantId);
    let queued = 0;
    if (rows.length < batchSize) {
      queued = await queueDueActions(this.db, now, batchSize * 4, this.options.tenantId);
      if (queued >= ANALYZE_AFTER_QUEUED) await analyzeMessages(this.db);
      if (queued > 0) {
        rows.push(
          ...(await claimMessages(this.db, now, batchSize - rows.length, leaseMs, this.options.tenantId)),
        );
      }
    }
    this.claims.hold(rows, now);
    const byTenant = groupBy(rows, (row) => row.tenant_id);
    const tenants: ClaimedBatch["tenants"] = [];
    for (const [tenantId, tenantRows] of byTenant) {
      const prepared = await this.prepareOrPostpone(tenantId, tenantRows, now);
      const settings = await findMessagingSettings(this.db, tenantId);
      // what needs no provider (skips, letters, tasks, failures to render) is recorded at once
      await this.claims.record(
        prepared.filter((entry) => entry.outgoing === null).map((entry) => entry.outcome),
        now,
      );
      tenants.push({ prepared, settings });
    }
    return { now, queued, rows: rows.length, tenants };
  }

  private async sendBatch(claimed: ClaimedBatch): Promise<DispatchReport> {
    const report = emptyReport();
    report.claimed = claimed.rows;
    const unusable: { tenantId: string; contactId: string; reason: string }[] = [];
    const outcomes: MessageOutcome[] = [];
    for (const { prepared, settings } of claimed.tenants) {
      await this.sendAll(prepared, settings, claimed.now, unusable);
      outcomes.push(...prepared.map((entry) => entry.outcome));
    }
    await markContactsUnusable(this.db, unusable);
    await this.replanFallbacks(claimed, unusable);
    countOutcomes(claimed);
    for (const outcome of outcomes) {
      if (outcome.state === "queued" && outcome.nextAttemptAt?.getTime() === claimed.now.getTime())
        this.dueAgain += 1;
      if (outcome.state === "sent") report.sent += 1;
      else if (outcome.state === "queued") report.retried += 1;
      else if (outcome.state === "failed") report.failed += 1;
      else if (outcome.state === "bounced") report.bounced += 1;
      else if (outcome.state === "skipped") report.skipped += 1;
    }
    return report;
  }

  /**
   * A message that found no usable contact (opted out, or unusable since it was planned) or whose
   * contact just bounced leaves its debtor to the fallback steps ("SMS to whoever has no WhatsApp"):
   * the planner decided them on the contacts it saw then, so today is planned again for those
   * customers (one rule, contact-eligibility; planning twice is a no-op for what exists).
   */
  private async replanFallbacks(
    claimed: ClaimedBatch,
    unusable: { tenantId: string; contactId: string }[],
  ): Promise<void> {
    const lostContacts = new Set(unusable.map((entry) => entry.contactId));
    const customersByTenant = new Map<string, Set<string>>();
    for (const { prepared } of claimed.tenants) {
      for (const { row, outcome } of prepared) {
        const foundNoContact = outcome.skipCode === "no_contact" || outcome.skipCode === "opted_out";
        const lostItsContact = outcome.contactId !== null && lostContacts.has(outcome.contactId);
        if (!foundNoContact && !lostItsContact) continue;
        const customers = customersByTenant.get(row.tenant_id) ?? new Set<string>();
        customers.add(row.customer_id);
        customersByTenant.set(row.tenant_id, customers);
      }
    }
    for (const [tenantId, customers] of customersByTenant) {
      const tenant = await this.tenant(tenantId);
      const today = todayIn(tenant.timeZone, claimed.now);
      for (const customerId of customers) {
        const planned = await planDay(this.db, tenant, today, { customerId, now: claimed.now });
        this.dueAgain += planned.total;
      }
    }
  }

  private async tenant(id: string): Promise<Tenant> {
    let tenant = this.tenants.get(id);
    if (!tenant) {
      tenant = await getTenant(this.db as never, id);
      this.tenants.set(id, tenant);
    }
    return tenant;
  }

  /**
   * Renders the tenant's messages and decides their skips (prepareMessages, message-preparation.ts).
   * A creditor whose messages cannot be prepared at all (a secret sealed under another
   * REGUA_SECRET_KEY, say) must not hold up the others in the batch: its messages wait with the
   * reason and are tried again later, and fail for good after the last attempt.
   */
  private async prepareOrPostpone(tenantId: string, rows: MessageRow[], now: Date): Promise<Prepared[]> {
    try {
      return await prepareMessages(this.db, await this.tenant(tenantId), rows, now);
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      const reason = `não foi possível preparar a mensagem: ${(error as Error).message}`;
      return rows.map((row) => {
        const entry = undecided(tenantId, row);
        const lastAttempt = row.attempts >= (this.options.maxAttempts ?? 8);
        entry.outcome.state = lastAttempt ? "failed" : "queued";
        entry.outcome.reason = lastAttempt
          ? `${reason} (desistimos após ${row.attempts} tentativas)`
          : reason;
        entry.outcome.nextAttemptAt = lastAttempt
          ? null
          : new Date(
              now.getTime() +
                backoffMs(
                  row.attempts,
                  this.options.baseBackoffMs ?? 30_000,
                  this.options.maxBackoffMs ?? 3_600_000,
                  this.random,
                ),
            );
        return entry;
      });
    }
  }

  private async sendAll(
    prepared: Prepared[],
    settings: MessagingSettingsRow | undefined,
    now: Date,
    unusable: { tenantId: string; contactId: string; reason: string }[],
  ): Promise<void> {
    const pending = prepared.filter((entry) => entry.outgoing !== null);
    // Outcomes are written as sends complete, group-commit style: while one write is in flight
    // the next outcomes gather, and go in one statement when it returns. `recordEvery` sets the
    // smallest group worth a write, `recordGatherMs` how long a group waits for more before its
    // write (see recordingFor).
    const minGroup = Math.max(1, this.options.recordEvery ?? 1);
    const gatherMs = this.options.recordGatherMs ?? 0;
    const inFlight = this.options.concurrency ?? 32;
    // What a worker that dies sends again is what it sent and had not recorded: a send starts only
    // while fewer than `unrecordedLimit` are started and unrecorded, so a slow database holds the
    // sending back instead of letting that pile grow.
    const unrecordedLimit = Math.max(2 * inFlight, 2 * minGroup);
    let unrecorded = 0;
    const waitingForRoom: (() => void)[] = [];
    let done: MessageOutcome[] = [];
    let writing: Promise<void> | null = null;
    // A write that fails for good (the database gone longer than a lease) fails the batch once the
    // sends in flight are over; until then it must not surface as an unhandled rejection, which
    // would end the process (API included).
    let writeFailure: unknown = null;
    const pump = async (smallest: number) => {
      try {
        while (done.length >= smallest && done.length > 0 && writeFailure === null) {
          if (gatherMs > 0 && done.length < inFlight)
            await new Promise((resolve) => setTimeout(resolve, gatherMs));
          const group = done;
          done = [];
          await this.claims.record(group, now);
          unrecorded -= group.length;
        }
      } catch (error) {
        writeFailure = error;
      }
    };
    // the sends waiting for room look again when a send ends and when a write ends
    const wakeWaiting = () => {
      for (const wake of waitingForRoom.splice(0)) wake();
    };
    const write = (smallest: number) => {
      if (writing || done.length < smallest || writeFailure !== null) return;
      // cleared once the pump is over, never before it is assigned
      writing = pump(smallest).finally(() => {
        writing = null;
        wakeWaiting();
      });
    };
    const roomToSend = async () => {
      while (unrecorded >= unrecordedLimit && writeFailure === null) {
        // what is done is written now, however few
        write(1);
        await new Promise<void>((resolve) => waitingForRoom.push(resolve));
      }
      unrecorded += 1;
    };
    const finished = (entry: Prepared) => {
      done.push(entry.outcome);
      write(minGroup);
      wakeWaiting();
    };
    // a paced adapter (the SMTP thread) keeps its own `concurrency` in flight: it gets the whole
    // batch at once (within the limit above), so that its connections never wait for this thread
    const paced: Prepared[] = [];
    const unpaced: Prepared[] = [];
    for (const entry of pending) {
      const outgoing = entry.outgoing!;
      const adapter = this.registry.adapterFor(
        outgoing.tenantId,
        outgoing.channel as SendingChannel,
        settings,
      );
      (adapter.paced ? paced : unpaced).push(entry);
    }
    const handedOver = paced.map(async (entry) => {
      await this.sendOne(entry, settings, now, unusable, roomToSend);
      finished(entry);
    });
    let next = 0;
    const worker = async () => {
      while (next < unpaced.length) {
        const entry = unpaced[next++]!;
        await this.sendOne(entry, settings, now, unusable, roomToSend);
        finished(entry);
      }
    };
    await Promise.all([...handedOver, ...Array.from({ length: Math.min(inFlight, unpaced.length) }, worker)]);
    while (writing) await writing;
    if (writeFailure !== null) throw writeFailure;
    if (done.length > 0) await this.claims.record(done.splice(0), now);
  }

  private async sendOne(
    entry: Prepared,
    settings: MessagingSettingsRow | undefined,
    now: Date,
    unusable: { tenantId: string; contactId: string; reason: string }[],
    roomToSend: () => Promise<void>,
  ): Promise<void> {
    const outgoing = entry.outgoing!;
    const channel = outgoing.channel as SendingChannel;
    const adapter = this.registry.adapterFor(outgoing.tenantId, channel, settings);
    const perSecond =
      channel === "email"
        ? (settings?.email_per_second ?? 50)
        : channel === "sms"
          ? (settings?.sms_per_second ?? 100)
          : (settings?.whatsapp_per_second ?? 20);
    const { outcome, row } = entry;
    outcome.provider = adapter.provider;
    let handedToProvider = false;
    try {
      await roomToSend();
      // bursts of one second's worth, shared by every worker on the database
      if (adapter.provider !== "capture") {
        await this.sendRates.waitFor(outgoing.tenantId, `send:${channel}`, {
          capacity: perSecond,
          perSecond,
        });
      }
      if (!this.claims.mayStillSend(outgoing.tenantId, row.id, this.options.clock.now())) {
        // its lease is running out unrenewed: another worker may claim it and send it as well
        outcome.state = "queued";
        outcome.reason = dispatchReasons.leaseRunningOut;
        outcome.nextAttemptAt = now;
        return;
      }
      handedToProvider = true;
      const result = await adapter.send(outgoing);
      outcome.state = "sent";
      outcome.provider = result.provider;
      outcome.providerMessageId = result.providerMessageId;
      outcome.costCents = result.costCents;
      outcome.segments = result.segments;
    } catch (error) {
      if (!handedToProvider && isDatabaseUnavailable(error)) {
        // nothing was sent (the shared rate bucket is out of reach): the message goes again as
        // soon as a worker claims it, without the provider's backoff
        outcome.state = "queued";
        outcome.reason = dispatchReasons.databaseBeforeSend;
        outcome.nextAttemptAt = now;
        return;
      }
      const failure =
        error instanceof ChannelError
          ? error
          : new ChannelError("transient", (error as Error).message ?? String(error));
      const maxAttempts = this.options.maxAttempts ?? 8;
      if (failure.kind === "transient") {
        const delay = Math.max(
          failure.retryAfterMs ?? 0,
          backoffMs(
            row.attempts,
            this.options.baseBackoffMs ?? 30_000,
            this.options.maxBackoffMs ?? 3_600_000,
            this.random,
          ),
        );
        const at = new Date(now.getTime() + delay);
        if (row.attempts >= maxAttempts) {
          outcome.state = "failed";
          outcome.reason = dispatchReasons.gaveUp(failure.message, row.attempts);
        } else if (entry.sendUntil && at > entry.sendUntil) {
          outcome.state = "failed";
          outcome.reason = dispatchReasons.windowClosed(failure.message);
        } else {
          outcome.state = "queued";
          outcome.reason = dispatchReasons.retrying(failure.message, row.attempts);
          outcome.nextAttemptAt = at;
        }
        return;
      }
      outcome.state = failure.contactUnusable && channel === "email" ? "bounced" : "failed";
      outcome.reason = failure.message;
      if (failure.contactUnusable && outcome.contactId) {
        unusable.push({ tenantId: outgoing.tenantId, contactId: outcome.contactId, reason: failure.message });
      }
    }
  }

  async close(): Promise<void> {
    await this.registry.close();
  }
}

/**
 * Sends everything due now (the entry point of `regua run`, `regua simulate` and the dispatch
 * job): SMTP_URL and EMAIL_FROM of the process apply to tenants without their own SMTP;
 * SMTP_CONNECTIONS caps the connections this process opens to each SMTP server.
 */
export async function dispatchDue(
  db: Executor,
  options: DispatcherOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DispatchReport> {
  const connections = smtpConnections(env);
  const dispatcher = new Dispatcher(db, {
    smtpUrl: env.SMTP_URL ?? null,
    emailFrom: env.EMAIL_FROM ?? null,
    ...(connections ? { smtpConnections: connections } : {}),
    ...options,
  });
  try {
    return await dispatcher.drain();
  } finally {
    await dispatcher.close();
  }
}

/** "mensagens: 12 enviadas, 1 a repetir, 0 falhas, 0 devolvidas, 3 puladas" */
export function describeDispatch(report: DispatchReport): string {
  return `mensagens: ${report.sent} enviadas, ${report.retried} a repetir, ${report.failed} falhas, ${report.bounced} devolvidas, ${report.skipped} puladas`;
}

/**
 * How outcomes gather into writes. PGlite runs its writes on the sending thread: a hundred at a
 * time, so they do not slow the sending down. PostgreSQL works in its own process: a write as soon
 * as the sends of the last 20 ms are in, which keeps the sent-but-unrecorded window short while
 * sparing the database (and this process) a statement, its planning and its round trip per send.
 */
export function recordingFor(
  kind: "pglite" | "postgres",
): Pick<DispatcherOptions, "recordEvery" | "recordGatherMs"> {
  return kind === "pglite" ? { recordEvery: 100 } : { recordEvery: 1, recordGatherMs: 20 };
}

const OUTCOME_LABEL: Record<string, string> = { queued: "retried" };

/** The batch's outcomes as counters (regua_messages_total), by channel, provider and outcome. */
function countOutcomes(claimed: ClaimedBatch): void {
  for (const { prepared } of claimed.tenants) {
    for (const { row, outcome } of prepared) {
      messagesTotal.inc({
        channel: row.channel,
        provider: outcome.provider ?? "none",
        outcome: OUTCOME_LABEL[outcome.state] ?? outcome.state,
      });
    }
  }
}
