import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "../../src/db/connect.ts";

/**
 * Each test file gets a database of its own, cloned from a migrated template made once per run by
 * `global-setup.ts`: on PGlite from a dump of the data folder (~0.3 s instead of ~4 s for a fresh
 * start), on PostgreSQL with `create database … template`.
 */
export const onPostgres = process.env.REGUA_TEST_DB === "postgres";
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
/**
 * The template's name is made once per run by the global setup and handed to the test workers
 * through the environment, so that two runs on one server (a developer's and CI's) never drop
 * each other's template.
 */
export const TEMPLATE_DATABASE_ENV = "REGUA_TEST_TEMPLATE_DATABASE";
export function templateDatabase(): string {
  const name = process.env[TEMPLATE_DATABASE_ENV];
  if (!name) throw new Error(`${TEMPLATE_DATABASE_ENV} is not set: run the tests through vitest`);
  return name;
}
/** Like the PostgreSQL template, the PGlite dump is per run, named by the global setup. */
export const PGLITE_TEMPLATE_ENV = "REGUA_TEST_PGLITE_TEMPLATE";
export function pgliteTemplateFile(): string {
  const file = process.env[PGLITE_TEMPLATE_ENV];
  if (!file) throw new Error(`${PGLITE_TEMPLATE_ENV} is not set: run the tests through vitest`);
  return file;
}

export function databaseUrl(name: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function openTestDatabase(): Promise<DatabaseHandle> {
  if (!onPostgres) {
    const dump = new Blob([readFileSync(pgliteTemplateFile())]);
    return openDatabase({ loadDataDir: dump });
  }
  const name = `regua_test_${randomBytes(6).toString("hex")}`;
  await withServer((client) => client.query(`create database ${name} template ${templateDatabase()}`));
  const handle = await openDatabase({ url: databaseUrl(name) });
  const close = handle.close;
  handle.close = async () => {
    await close();
    // pg-pool's end() resolves before its sockets are gone; a plain drop waits for them instead
    // of killing them (which `with (force)` would, surfacing as errors in the test's process).
    await withServer(async (client) => {
      for (let attempt = 0; ; attempt++) {
        try {
          await client.query(`drop database if exists ${name}`);
          return;
        } catch (error) {
          if (attempt >= 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    });
  };
  return handle;
}
