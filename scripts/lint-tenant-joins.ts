import { readFileSync } from "node:fs";
import { lintTenantJoins, SCHEMA_FILE } from "./shard/tenant-joins.ts";

/*
 * Lists, as file:line, every join in src/ (and in the database's functions) of a tenant table that
 * does not equate its tenant_id; exit code 1 when there is one. The same lint runs in `npm test`
 * (test/architecture/tenant-joins.test.ts); docs/scale.md says why.
 */
const findings = lintTenantJoins("src", readFileSync(SCHEMA_FILE, "utf8"));
for (const finding of findings) {
  process.stdout.write(`${finding.file}:${finding.line}: ${finding.problem}\n    ${finding.join}\n`);
}
process.stdout.write(`${findings.length} join(s) without the tenant\n`);
if (findings.length > 0) process.exitCode = 1;
