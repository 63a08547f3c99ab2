import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import pg from "pg";
import { errorField, log } from "../observability/log.ts";
import type { Database } from "./database.ts";
import { acquireEmbeddedLock } from "./embedded-lock.ts";
import { primaryReads, type ReadDatabase, replicaReads } from "./read-replica.ts";
import { typeParsers } from "./type-parsers.ts";

export type DatabaseKind = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Where reads that may lag go: the replica (DATABASE_REPLICA_URL) or, without one, `db` itself. */
  reads: ReadDatabase;
  /**
   * Runs a multi-statement SQL script in one transaction (migrations), then `followUp` (one
   * parameterised statement, such as recording the migration) in the same transaction.
   */
  runScript(script: string, followUp?: ParameterisedStatement): Promise<void>;
  /** The embedded engine, for pg-boss's PGlite adapter and for template dumps in tests. */
  pglite?: PGlite;
  /** The connection string, for pg-boss on PostgreSQL. */
  url?: string;
  /** This process's connections (PostgreSQL's pool; the embedded database has one, in-process). */
  poolUse?(): { in_use: number; idle: number; waiting: number; max: number };
  close(): Promise<void>;
}

export interface ParameterisedStatement {
  sql: string;
  params: unknown[];
}

export interface OpenOptions {
  /** PostgreSQL connection string; when absent the embedded database is used. */
  url?: string | undefined;
  /** Folder of the embedded database; `undefined` keeps it in memory (tests). */
  dataDir?: string | undefined;
  /** A dump made by `PGlite.dumpDataDir`, to start an in-memory database from a template. */
  loadDataDir?: Blob | File | undefined;
  /** Pool size on PostgreSQL (the replica's pool gets the same). */
  maxConnections?: number;
  /** A streaming replica of `url` for reads that may lag (read-replica.ts); PostgreSQL only. */
  replicaUrl?: string | undefined;
}

/** Where the product's data lives, from the environment: DATABASE_URL, else REGUA_DATA_DIR or .regua/. */
export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenOptions {
  const replica = env.DATABASE_REPLICA_URL ? { replicaUrl: env.DATABASE_REPLICA_URL } : {};
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, ...replica };
  return { dataDir: env.REGUA_DATA_DIR ?? ".regua", ...replica };
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.url) return openPostgres(options.url, options.maxConnections ?? 10, options.replicaUrl);
  if (options.replicaUrl) log.info("DATABASE_REPLICA_URL ignored: the embedded database has no replica");
  return openPglite(options);
}

async function openPglite(options: OpenOptions): Promise<DatabaseHandle> {
  const release = options.dataDir ? acquireEmbeddedLock(options.dataDir) : () => {};
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      parsers: typeParsers,
    });
  } catch (error) {
    release();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    kind: "pglite",
    reads: primaryReads(db),
    pglite,
    async runScript(script, followUp) {
      // Kysely's PGlite driver uses the extended protocol (one statement a call), so a script
      // goes through PGlite's own transaction and `exec`.
      await pglite.transaction(async (tx) => {
        await tx.exec(script);
        if (followUp) await tx.query(followUp.sql, followUp.params);
      });
    },
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      release();
    },
  };
}

/** How long a query waits for a connection before the database counts as unreachable. */
const CONNECT_TIMEOUT_MS = 5_000;

async function openPostgres(url: string, max: number, replicaUrl?: string): Promise<DatabaseHandle> {
  const pool = openPool(url, max);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const replicaPool = replicaUrl ? openPool(replicaUrl, max) : undefined;
  const reads = replicaPool
    ? replicaReads(
        replicaPool,
        pool,
        (fallback) => new Kysely<Database>({ dialect: new PostgresDialect({ pool: fallback }) }),
      )
    : primaryReads(db);
  return {
    db,
    kind: "postgres",
    reads,
    url,
    poolUse: () => ({
      in_use: pool.totalCount - pool.idleCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max,
    }),
    async runScript(script, followUp) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        // With no parameters `pg` uses the simple protocol, which runs a whole script.
        await client.query(script);
        if (followUp) await client.query(followUp.sql, followUp.params);
        await client.query("commit");
      } catch (error) {
        await client.query("rollback").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      // the replica's first: its fallback borrows the primary's pool
      if (reads.replica) await reads.db.destroy();
      await db.destroy();
    },
  };
}

function openPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // a database that stops answering must fail a query in seconds, not hang it: the API answers
    // 503 and the dispatcher keeps its outcomes until the database is back (connection-errors.ts)
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        typeParsers[oid] ?? pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection can be cut by the server (restart, failover, admin). Without a listener the
  // pool's 'error' event would crash the process; the pool replaces the client on the next checkout.
  pool.on("error", (error) => {
    log.warn({ err: errorField(error) }, "idle PostgreSQL connection lost");
  });
  // A checked-out connection (Kysely holds one per statement or transaction) has no listener of
  // the pool's: when its socket dies, pg rejects the statement in flight AND emits 'error' on the
  // client, which with no listener ends the process. The rejection is what callers handle (503,
  // the dispatcher's retries); the pool drops the broken client when it is released.
  pool.on("connect", (client) => {
    client.on("error", () => undefined);
  });
  return pool;
}
