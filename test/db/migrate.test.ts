import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { loadMigrations, migrate } from "../../src/db/migrate.ts";
import { openTestDatabase } from "../support/test-database.ts";

describe("migrations", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(() => handle.close());

  it("records every migration once and applying again changes nothing", async () => {
    const again = await migrate(handle);
    expect(again.applied).toEqual([]);
    const rows = await sql<{
      version: number;
    }>`select version from schema_migrations order by version`.execute(handle.db);
    expect(rows.rows.map((row) => row.version)).toEqual(loadMigrations().map((m) => m.version));
  });

  it("returns int8 sums as exact numbers and dates as calendar days", async () => {
    const row = await sql<{ total: number; day: string; big: number }>`
      select sum(x)::int8 as total, '2026-02-16'::date as day, 9007199254740991::int8 as big
      from (values (1::int8), (2::int8)) as t(x)`.execute(handle.db);
    expect(row.rows[0]).toEqual({ total: 3, day: "2026-02-16", big: 9007199254740991 });
  });

  it("refuses an int8 beyond 2^53 instead of losing cents", async () => {
    await expect(sql`select 9007199254740993::int8 as x`.execute(handle.db)).rejects.toThrow(/2\^53/);
  });

  it("gives bulk-written rows time-ordered ids: version 7, the millisecond first (migration 0052)", async () => {
    const before = Date.now();
    const rows = await sql<{ id: string }>`select uuid_v7()::text as id from generate_series(1, 50)`.execute(
      handle.db,
    );
    const after = Date.now();
    for (const { id } of rows.rows) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const millisecond = Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16);
      expect(millisecond).toBeGreaterThanOrEqual(before - 1000);
      expect(millisecond).toBeLessThanOrEqual(after + 1000);
    }
    expect(new Set(rows.rows.map((row) => row.id)).size).toBe(50);
    const column = await sql<{ fallback: string }>`
      select column_default as fallback from information_schema.columns
      where table_name = 'dunning_actions' and column_name = 'id'`.execute(handle.db);
    expect(column.rows[0]!.fallback).toBe("uuid_v7()");
  });
});
