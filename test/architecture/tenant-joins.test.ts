import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ALLOWED_JOINS,
  crossTenantBuilderJoins,
  crossTenantJoins,
  lintTenantJoins,
  templateLiterals,
  tenantTables,
} from "../../scripts/shard/tenant-joins.ts";

/**
 * No query in src/ joins two creditors' rows: every join of a tenant table equates its tenant_id
 * (docs/scale.md: on Citus such a join stays on the tenant's node).
 */
const schemaSql = readFileSync("src/db/schema.sql", "utf8");
const tables = tenantTables(schemaSql);

function findings(source: string): string[] {
  return [
    ...templateLiterals(source).flatMap((template) => crossTenantJoins(template.text, tables)),
    ...crossTenantBuilderJoins(source, tables),
  ].map((finding) => finding.problem);
}

describe("tenant joins", () => {
  it("finds no join in src/ that leaves a tenant table's tenant_id out", () => {
    const found = lintTenantJoins("src", schemaSql);
    expect(
      found.map((finding) => `${finding.file}:${finding.line}: ${finding.problem} — ${finding.join}`),
    ).toEqual([]);
  });

  it("reads the tenant tables from the schema, without the reference tables", () => {
    expect(tables.has("invoices")).toBe(true);
    expect(tables.has("portal_sessions")).toBe(true);
    expect(tables.has("tenants")).toBe(false);
  });

  it("reports a join without the tenant equality, a cross join and an unscoped subquery, and passes scoped ones", () => {
    const source = readFileSync("test/architecture/fixtures/joins.ts.txt", "utf8");
    expect(findings(source)).toEqual([
      "join of customers c does not equate c.tenant_id in its ON clause",
      "joined subquery reads messages without tenant_id",
      "cross join of standings has no tenant_id equality",
      "join of payments using (…) leaves out tenant_id",
      "leftJoin of operators does not equate o.tenant_id",
    ]);
  });

  it("keeps every allowed join's reason beside a join that still needs it", () => {
    const unexcused = lintTenantJoins("src", schemaSql, []);
    for (const entry of ALLOWED_JOINS) {
      expect(
        unexcused.some((finding) => finding.file === entry.file && finding.join.startsWith(entry.join)),
        `${entry.file}: ${entry.join}`,
      ).toBe(true);
    }
  });
});
