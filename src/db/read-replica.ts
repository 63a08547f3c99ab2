import { type Kysely, sql } from "kysely";
import pg from "pg";
import { errorField, log } from "../observability/log.ts";
import { isDatabaseUnavailable } from "./connection-errors.ts";
import type { Database } from "./database.ts";

/**
 * Glossary: the *primary* takes every write; a *replica* is a PostgreSQL streaming standby of it
 * (DATABASE_REPLICA_URL), whose data is behind by its *lag*. Reads that may show data a few
 * seconds old (the panel, lists, reports, exports, the portal's home) go to `reads.db`; every
 * write, and every read that must see the request's own write, stays on the primary's `db`.
 */
export interface ReadDatabase {
  /** The replica, falling back to the primary while the replica is out of reach; else the primary itself. */
  db: Kysely<Database>;
  /** Whether `db` is a replica (false: the same object as the primary's). */
  replica: boolean;
  /** Seconds the data read from `db` is behind the primary: 0 when caught up, null when reading the primary. */
  lagSeconds(): Promise<number | null>;
}

/** Reads on the primary itself: no replica configured, or the embedded database. */
export function primaryReads(db: Kysely<Database>): ReadDatabase {
  return { db, replica: false, lagSeconds: async () => null };
}

/** How long reads stay on the primary after the replica failed, before the replica is tried again. */
const REPLICA_RETRY_MS = 5_000;

/**
 * The replica's lag. `now() − pg_last_xact_replay_timestamp()` alone grows while the primary is
 * idle (nothing to replay is not lag), so a standby that has replayed all it received counts as 0.
 * On the primary (reads fell back) `pg_is_in_recovery()` is false: null.
 */
const LAG_QUERY = sql<{ lag: number | null }>`
  select case
    when not pg_is_in_recovery() then null
    when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
    else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0)::float8
  end as lag`;

/** Reads on a replica, given its pool and the primary's (the fallback). */
export function replicaReads(
  replica: pg.Pool,
  primary: pg.Pool,
  open: (pool: FallbackPool) => Kysely<Database>,
): ReadDatabase {
  const db = open(new FallbackPool(replica, primary));
  return {
    db,
    replica: true,
    async lagSeconds() {
      const { rows } = await LAG_QUERY.execute(db);
      const lag = rows[0]?.lag ?? null;
      return lag === null ? null : Math.max(0, Number(lag));
    },
  };
}

type Client = pg.PoolClient;

/**
 * What Kysely's PostgresDialect needs of a pool, handing out replica connections while the replica
 * answers and primary connections while it does not: a read never fails (or answers 503) because
 * the replica is down, it is only fresher. A statement whose replica connection dies mid-way is run
 * again on the primary when outside a transaction (a read repeated is the same read).
 */
export class FallbackPool {
  private downUntil = 0;
  private readonly replica: pg.Pool;
  private readonly primary: pg.Pool;
  /** Read by Kysely to cancel a statement through a connection of its own (to the replica). */
  readonly options: pg.PoolConfig;
  readonly Client = pg.Client;

  constructor(replica: pg.Pool, primary: pg.Pool) {
    this.replica = replica;
    this.primary = primary;
    this.options = replica.options;
  }

  async connect(): Promise<Client> {
    if (Date.now() < this.downUntil) return this.primary.connect();
    let client: Client;
    try {
      client = await this.replica.connect();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      this.markDown(error);
      return this.primary.connect();
    }
    return this.retryingOnPrimary(client);
  }

  async end(): Promise<void> {
    await this.replica.end();
  }

  private markDown(error: unknown): void {
    if (Date.now() >= this.downUntil) {
      log.warn(
        { err: errorField(error), retryInMs: REPLICA_RETRY_MS },
        "read replica out of reach: reads go to the primary",
      );
    }
    this.downUntil = Date.now() + REPLICA_RETRY_MS;
  }

  private retryingOnPrimary(client: Client): Client {
    let inTransaction = false;
    let lost = false;
    let fallback: Client | undefined;
    const connect = () => this.primary.connect();
    const markDown = (error: unknown) => this.markDown(error);
    const query = async (text: unknown, values?: unknown): Promise<unknown> => {
      if (fallback) return fallback.query(text as string, values as unknown[]);
      try {
        const result = await client.query(text as string, values as unknown[]);
        if (typeof text === "string") {
          if (/^\s*(begin|start transaction)/i.test(text)) inTransaction = true;
          else if (/^\s*(commit|rollback)\s*$/i.test(text)) inTransaction = false;
        }
        return result;
      } catch (error) {
        if (inTransaction || !isDatabaseUnavailable(error)) throw error;
        lost = true;
        markDown(error);
        fallback = await connect();
        return fallback.query(text as string, values as unknown[]);
      }
    };
    // Kysely uses query, release and processID (to cancel a statement); the rest is the client's own
    return new Proxy(client, {
      get(target, property, receiver) {
        if (property === "query") return query;
        if (property === "release")
          return (destroy?: boolean | Error) => {
            // a client whose socket died is destroyed rather than returned to the pool
            target.release(lost || destroy);
            fallback?.release(destroy);
            fallback = undefined;
          };
        return Reflect.get(target, property, receiver);
      },
    });
  }
}
