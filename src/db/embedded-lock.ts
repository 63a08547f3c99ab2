import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../shared/errors.ts";

/**
 * PGlite is a single-process database: two processes writing the same folder would corrupt it.
 * The first process takes `regua.lock` (created exclusively, holding its pid); a second one gets a
 * clear error naming the holder (the same process opening it twice is refused too). A lock left by
 * a process that no longer exists is taken over.
 */
export function acquireEmbeddedLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, "regua.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(lockPath, "utf8").trim());
      if (holder && isAlive(holder)) {
        throw new AppError(
          "database_locked",
          `O banco embutido em ${dataDir} já está aberto pelo processo ${holder}. ` +
            "Pare esse processo, use outra pasta com REGUA_DATA_DIR ou use PostgreSQL com DATABASE_URL.",
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new AppError("database_locked", `Não foi possível travar ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
