import { isDatabaseUnavailable } from "../../db/connection-errors.ts";
import type { Executor } from "../../db/database.ts";
import type { Clock } from "../../shared/clock.ts";
import { type MessageOutcome, recordOutcomes, renewLeases } from "./message.repository.ts";

/**
 * Glossary: a worker *claims* messages by writing them 'sending' with a *lease* (an instant in
 * `next_attempt_at`); while the lease holds no other worker takes them. The lease is short
 * (DEFAULT_LEASE_MS) and the live worker's *heartbeat* renews it every third of a lease for the
 * messages it still *holds* (claimed, outcome not yet recorded). A worker that dies stops
 * renewing, and its messages are claimed again by another worker within one lease: sent again,
 * with the same idempotency key, if the dead worker had not recorded them.
 */
export const DEFAULT_LEASE_MS = 10_000;

/**
 * How long outcomes wait for the database to come back before the batch gives up on them (they
 * are then sent again after a takeover). Longer than a lease: a record written late is still true,
 * and a restart of PostgreSQL takes longer than one lease.
 */
const RECORD_PATIENCE_MS = 30_000;

/** One claim a worker holds: the attempt number its claim wrote, and when its lease runs out. */
interface Held {
  claim: number;
  leaseUntil: number;
}

/** The claims one dispatcher holds, and the heartbeat that keeps their leases. */
export class HeldClaims {
  private readonly db: Executor;
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly held = new Map<string, Map<string, Held>>();
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> | null = null;

  constructor(db: Executor, clock: Clock, leaseMs: number) {
    this.db = db;
    this.clock = clock;
    this.leaseMs = leaseMs;
  }

  /** Starts the heartbeat (every third of a lease). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.beat(), Math.max(50, Math.floor(this.leaseMs / 3)));
    // a heartbeat alone does not keep the process alive
    this.timer.unref();
  }

  /** Stops the heartbeat and forgets every claim (what was not recorded runs out with its lease). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.held.clear();
    await this.renewing;
  }

  /** Holds what a claim just took: `attempts` is the claim's number, `now` when it was written. */
  hold(claims: { tenant_id: string; id: string; attempts: number }[], now: Date): void {
    const leaseUntil = now.getTime() + this.leaseMs;
    for (const claim of claims) {
      let ids = this.held.get(claim.tenant_id);
      if (!ids) {
        ids = new Map();
        this.held.set(claim.tenant_id, ids);
      }
      ids.set(claim.id, { claim: claim.attempts, leaseUntil });
    }
  }

  release(claims: { tenantId: string; id: string }[]): void {
    for (const claim of claims) this.held.get(claim.tenantId)?.delete(claim.id);
  }

  get size(): number {
    let size = 0;
    for (const ids of this.held.values()) size += ids.size;
    return size;
  }

  /**
   * Whether this worker may still hand the message to a provider: its lease has at least a third
   * left, the time one send takes. Past that, another worker may take the claim over and send it
   * too; so after two heartbeats missed in a row (the database out of reach, or this process too
   * busy to beat) the worker stops sending what it holds, and it goes again under a new claim.
   */
  mayStillSend(tenantId: string, id: string, now: Date): boolean {
    const held = this.held.get(tenantId)?.get(id);
    return held !== undefined && held.leaseUntil - now.getTime() >= this.leaseMs / 3;
  }

  /**
   * One renewal at a time; a failed one (the database out of reach) is simply tried again at the
   * next beat: the leases run on meanwhile, which is what a takeover after a real crash needs.
   * A claim the renewal no longer finds (taken over after its lease ran out) is no longer held.
   */
  private beat(): void {
    if (this.renewing || this.held.size === 0) return;
    this.renewing = (async () => {
      try {
        const now = this.clock.now();
        const leaseUntil = now.getTime() + this.leaseMs;
        for (const [tenantId, ids] of this.held) {
          if (ids.size === 0) continue;
          const claims = [...ids].map(([id, held]) => ({ id, claim: held.claim }));
          const renewed = new Set(await renewLeases(this.db, tenantId, claims, now, this.leaseMs));
          for (const { id } of claims) {
            const held = ids.get(id);
            if (!held) continue;
            if (renewed.has(id)) held.leaseUntil = leaseUntil;
            else ids.delete(id);
          }
        }
      } catch {
        // supervised: the next beat tries again
      } finally {
        this.renewing = null;
      }
    })();
  }

  /**
   * Records outcomes, and keeps trying while the database is out of reach: what was sent is then
   * recorded once the database is back instead of being sent again by whoever takes the claim
   * over. Any other failure, or an outage longer than RECORD_PATIENCE_MS, is thrown (the batch
   * fails; its unrecorded messages go again when their lease runs out). The claims recorded are
   * released; an outcome whose claim was taken over meanwhile is left to the new holder
   * (recordOutcomes writes only under the claim it was decided in).
   */
  async record(outcomes: MessageOutcome[], now: Date): Promise<void> {
    if (outcomes.length === 0) return;
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        await recordOutcomes(this.db, outcomes, now);
        this.release(outcomes);
        return;
      } catch (error) {
        if (!isDatabaseUnavailable(error) || performance.now() - started > RECORD_PATIENCE_MS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 100 * 2 ** attempt)));
      }
    }
  }
}
