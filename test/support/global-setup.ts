import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { openDatabase } from "../../src/db/connect.ts";
import { migrate } from "../../src/db/migrate.ts";
import {
  databaseUrl,
  onPostgres,
  PGLITE_TEMPLATE_ENV,
  TEMPLATE_DATABASE_ENV,
  withServer,
} from "./test-database.ts";

/** Builds the migrated template that every test file clones (see test-database.ts). */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  // one key for the run's stored provider secrets (src/shared/secret-box.ts), inherited by workers
  process.env.REGUA_SECRET_KEY ??= randomBytes(32).toString("base64");
  // the outbound guard (src/shared/outbound.ts) stays on; the loopback is opened only because the
  // tests' protocol peers listen there (test/outbound/ssrf.test.ts closes it again to test the guard)
  process.env.REGUA_OUTBOUND_ALLOW ??= "127.0.0.1/32,::1/128";
  if (onPostgres) {
    const template = `regua_test_template_${process.pid}`;
    process.env[TEMPLATE_DATABASE_ENV] = template;
    await withServer(async (client) => {
      await client.query(`drop database if exists ${template} with (force)`);
      await client.query(`create database ${template}`);
    });
    const handle = await openDatabase({ url: databaseUrl(template) });
    await migrate(handle);
    await handle.close();
    return async () => {
      await withServer((client) => client.query(`drop database if exists ${template} with (force)`));
    };
  }
  const handle = await openDatabase({});
  await migrate(handle);
  const dump = await handle.pglite!.dumpDataDir("gzip");
  // Named by process, so concurrent runs with different migrations never read each other's.
  const file = `.test-cache/pglite-template-${process.pid}.tar.gz`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env[PGLITE_TEMPLATE_ENV] = file;
  await handle.close();
  return async () => rmSync(file, { force: true });
}
