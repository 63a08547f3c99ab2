import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { openDatabase } from "../../src/db/connect.ts";
import { migrate } from "../../src/db/migrate.ts";
import {
  databaseUrl,
  onPostgres,
  PGLITE_TEMPLATE_FILE,
  TEMPLATE_DATABASE,
  withServer,
} from "./test-database.ts";

/** Builds the migrated template that every test file clones (see test-database.ts). */
export default async function setup(): Promise<void> {
  if (onPostgres) {
    await withServer(async (client) => {
      await client.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
      await client.query(`create database ${TEMPLATE_DATABASE}`);
    });
    const handle = await openDatabase({ url: databaseUrl(TEMPLATE_DATABASE) });
    await migrate(handle);
    await handle.close();
    return;
  }
  const handle = await openDatabase({});
  await migrate(handle);
  const dump = await handle.pglite!.dumpDataDir("gzip");
  mkdirSync(dirname(PGLITE_TEMPLATE_FILE), { recursive: true });
  writeFileSync(PGLITE_TEMPLATE_FILE, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
}
