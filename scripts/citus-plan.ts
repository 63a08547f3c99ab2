import { readFileSync, writeFileSync } from "node:fs";
import { openDatabase } from "../src/db/connect.ts";
import { migrate } from "../src/db/migrate.ts";
import { citusPlan, SCALE_DOC, withPlan } from "./shard/citus-plan.ts";
import { readTenantSchema, shardReadinessProblems } from "./shard/tenant-schema.ts";

/*
 * Prints the Citus statements that distribute a freshly migrated schema by tenant
 * (docs/scale.md), and what keeps it from being ready to shard, if anything (exit code 1).
 * `--write-docs` refreshes the copy embedded in docs/scale.md, which
 * test/db/shard-readiness.test.ts compares with this output.
 */
const handle = await openDatabase({});
try {
  await migrate(handle);
  const schema = await readTenantSchema(handle.db);
  const problems = shardReadinessProblems(schema);
  for (const problem of problems) process.stderr.write(`not ready to shard: ${problem}\n`);
  const plan = citusPlan(schema);
  if (process.argv[2] === "--write-docs") {
    writeFileSync(SCALE_DOC, withPlan(readFileSync(SCALE_DOC, "utf8"), plan));
    process.stdout.write(`wrote the plan into ${SCALE_DOC}\n`);
  } else {
    process.stdout.write(plan);
  }
  if (problems.length > 0) process.exitCode = 1;
} finally {
  await handle.close();
}
