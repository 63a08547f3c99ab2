import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import type { DatabaseHandle } from "./connect.ts";

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "migrations");

export interface Migration {
  version: number;
  name: string;
  script: string;
}

/** Migrations are `NNNN_name.sql` files, applied forward only, in order, each in its own transaction. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      script: readFileSync(join(dir, file), "utf8"),
    }));
}

export interface MigrationResult {
  applied: Migration[];
  alreadyApplied: number;
}

export async function migrate(
  handle: DatabaseHandle,
  migrations = loadMigrations(),
): Promise<MigrationResult> {
  await sql`create table if not exists schema_migrations (
    version integer primary key,
    name text not null,
    applied_at timestamptz not null default now()
  )`.execute(handle.db);
  const appliedRows = await sql<{ version: number }>`select version from schema_migrations`.execute(
    handle.db,
  );
  const done = new Set(appliedRows.rows.map((row) => row.version));
  const applied: Migration[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    // Two processes migrating one PostgreSQL at once take turns on the advisory lock; the second
    // one's script then fails on objects that exist, and the re-check below finds the migration
    // recorded by the first and moves on.
    const guardedScript =
      handle.kind === "postgres"
        ? `select pg_advisory_xact_lock(727272);\n${migration.script}`
        : migration.script;
    try {
      await handle.runScript(guardedScript, {
        sql: "insert into schema_migrations (version, name) values ($1, $2)",
        params: [migration.version, migration.name],
      });
      applied.push(migration);
    } catch (error) {
      const recheck = await sql<{
        version: number;
      }>`select version from schema_migrations where version = ${migration.version}`.execute(handle.db);
      if (recheck.rows.length === 0) {
        throw new Error(
          `migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`,
        );
      }
    }
  }
  return { applied, alreadyApplied: done.size };
}

/**
 * The migrations this code knows and the database has not applied (`/health/ready`): a process
 * started with newer code than its database is not ready. Read from the files once per process.
 */
let knownMigrations: Migration[] | undefined;
export async function pendingMigrations(handle: DatabaseHandle): Promise<string[]> {
  knownMigrations ??= loadMigrations();
  const applied = await sql<{ version: number }>`select version from schema_migrations`.execute(handle.db);
  const done = new Set(applied.rows.map((row) => Number(row.version)));
  return knownMigrations
    .filter((migration) => !done.has(migration.version))
    .map((migration) => `${String(migration.version).padStart(4, "0")}_${migration.name}`);
}
