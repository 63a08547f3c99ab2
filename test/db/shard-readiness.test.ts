import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { citusPlan, SCALE_DOC, withPlan } from "../../scripts/shard/citus-plan.ts";
import {
  readTenantSchema,
  shardReadinessProblems,
  TABLES_WITHOUT_TENANT,
  type TenantSchema,
} from "../../scripts/shard/tenant-schema.ts";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * The schema distributes by tenant on Citus without a rewrite (docs/scale.md): every table has
 * tenant_id or is listed with its reason, every key and foreign key includes it, and the
 * distribution statements in the docs are the ones generated from the schema.
 */
function catalog(handle: DatabaseHandle): Promise<TenantSchema> {
  return readTenantSchema(handle.db);
}

describe("shard readiness", () => {
  let handle: DatabaseHandle;
  let schema: TenantSchema;
  beforeAll(async () => {
    handle = await openTestDatabase();
    schema = await catalog(handle);
  });
  afterAll(() => handle.close());

  it("finds every table of the migrated schema keyed by tenant, or listed without one with its reason", () => {
    expect(shardReadinessProblems(schema)).toEqual([]);
    const withoutTenant = schema.tables.filter((table) => !table.hasTenant).map((table) => table.name);
    expect(withoutTenant.sort()).toEqual(Object.keys(TABLES_WITHOUT_TENANT).sort());
    expect(schema.tables.length).toBeGreaterThan(60);
    expect(schema.keys.some((key) => key.table === "invoices" && key.kind === "primary key")).toBe(true);
  });

  it("fails on a migration whose keys leave the tenant out", async () => {
    const fixture = await openTestDatabase();
    try {
      // A deliberately bad migration, applied to this throwaway copy only.
      await fixture.runScript(`
        create table promises (
          tenant_id uuid not null references tenants (id),
          code text primary key,
          customer_id uuid not null,
          reminder_id uuid,
          foreign key (tenant_id, customer_id) references customers (tenant_id, id)
        );
        create unique index promises_by_customer on promises (customer_id, code);
        create table reminders (id uuid primary key, tenant_id uuid);
        alter table promises add foreign key (reminder_id) references reminders (id);
        create table settings_history (tenant_id uuid not null, customer_id uuid not null,
          primary key (tenant_id, customer_id),
          foreign key (customer_id, tenant_id) references customers (tenant_id, id) on delete set null);
        create table notes (tenant_id uuid not null references tenants (id), body text not null);
      `);
      expect(shardReadinessProblems(await catalog(fixture))).toEqual([
        "table notes has no primary key: moving its shard online (logical replication) needs one",
        "reminders.tenant_id allows null: a row without a tenant has no shard",
        "unique index promises_by_customer on promises (customer_id, code) does not include tenant_id",
        "primary key promises_pkey on promises (code) does not include tenant_id",
        "primary key reminders_pkey on reminders (id) does not include tenant_id",
        "foreign key promises_reminder_id_fkey on promises (reminder_id) does not include tenant_id",
        "foreign key settings_history_customer_id_tenant_id_fkey on settings_history matches tenant_id to customers.id, not to its tenant_id",
        "foreign key settings_history_customer_id_tenant_id_fkey on settings_history sets tenant_id on delete: name only the other columns, as in SET NULL (x)",
      ]);
    } finally {
      await fixture.close();
    }
  });

  it("fails on a table without a tenant that is not listed as a reference table", async () => {
    const fixture = await openTestDatabase();
    try {
      await fixture.runScript("create table holidays (day date primary key, name text not null);");
      expect(shardReadinessProblems(await catalog(fixture))).toEqual([
        "table holidays has no tenant_id: add it (leading its keys), or list the table in TABLES_WITHOUT_TENANT with its reason",
      ]);
    } finally {
      await fixture.close();
    }
  });

  it("keeps docs/scale.md's distribution statements equal to the ones generated from the schema", () => {
    const plan = citusPlan(schema);
    expect(plan).toContain("select create_reference_table('tenants');");
    expect(plan).toContain(
      "select create_distributed_table('customers', 'tenant_id', colocate_with => 'none');",
    );
    expect(plan).toContain(
      "select create_distributed_table('invoices', 'tenant_id', colocate_with => 'customers');",
    );
    expect(plan).toContain(
      "select create_distributed_function('rate_bucket_lease(uuid,text,integer,double precision,double precision)', 'p_tenant_id', colocate_with => 'customers');",
    );
    // the tables found by a token are distributed like the rest: their tokens name the tenant
    for (const table of [
      "short_links",
      "portal_sessions",
      "standing_tokens",
      "operator_sessions",
      "api_keys",
      "pix_settings",
    ])
      expect(plan).toContain(
        `select create_distributed_table('${table}', 'tenant_id', colocate_with => 'customers');`,
      );
    expect(plan).not.toContain("-- select create_distributed_table");
    // customers before invoices, which point to it: Citus distributes the referenced table first
    expect(plan.indexOf("'customers'")).toBeLessThan(plan.indexOf("'invoices'"));
    const doc = readFileSync(SCALE_DOC, "utf8");
    expect(doc, `${SCALE_DOC} is out of date: run \`node scripts/citus-plan.ts --write-docs\``).toBe(
      withPlan(doc, plan),
    );
  });
});
