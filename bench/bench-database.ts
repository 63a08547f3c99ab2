import pg from "pg";
import { type DatabaseHandle, openDatabase } from "../src/db/connect.ts";

/** The PostgreSQL server the benchmarks make their databases on (BENCH_DATABASE_URL). */
export const BENCH_SERVER_URL =
  process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Runs `work` with a connection to the server itself (to create and drop databases). */
export async function withBenchServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A benchmark's own database, made afresh — or, with `keep`, the one a previous run left (its
 * generation may still have to be checked by the caller: `existed` says it was there).
 */
export async function openBenchDatabase(
  name: string,
  options: { keep: boolean; maxConnections: number },
): Promise<{ handle: DatabaseHandle; existed: boolean; drop(): Promise<void> }> {
  const drop = () =>
    withBenchServer((client) => client.query(`drop database if exists ${name} with (force)`));
  const existed = await withBenchServer(
    async (client) =>
      (await client.query("select 1 from pg_database where datname = $1", [name])).rowCount === 1,
  );
  if (!options.keep || !existed) {
    await drop();
    await withBenchServer((client) => client.query(`create database ${name}`));
  }
  const url = new URL(BENCH_SERVER_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), maxConnections: options.maxConnections });
  return { handle, existed, drop: async () => void (await drop()) };
}
