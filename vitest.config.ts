import { defineConfig } from "vitest/config";

/**
 * The suite runs twice: on the embedded PGlite (default) and on PostgreSQL
 * (`REGUA_TEST_DB=postgres`). Pure domain tests touch no database and run only in the first pass.
 */
const onPostgres = process.env.REGUA_TEST_DB === "postgres";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: onPostgres ? ["test/domain/**", "node_modules/**"] : ["node_modules/**"],
    globalSetup: ["test/support/global-setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default"],
    // the product's JSON log (src/observability/log.ts): warnings and errors only, beside the report
    env: { REGUA_LOG_LEVEL: process.env.REGUA_LOG_LEVEL ?? "error" },
  },
});
