import { type DatabaseHandle, databaseOptionsFromEnv, openDatabase } from "../db/connect.ts";
import { migrate } from "../db/migrate.ts";

/**
 * Opens the database the environment names (DATABASE_URL, else the embedded one in REGUA_DATA_DIR
 * or .regua/), brings its schema up to date, runs `work` and always closes it again, so that the
 * embedded database's lock is released even when the command fails.
 */
export async function withDatabase<T>(work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase(databaseOptionsFromEnv());
  try {
    await migrate(handle);
    return await work(handle);
  } finally {
    await handle.close();
  }
}
