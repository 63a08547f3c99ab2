import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { databaseUrl, onPostgres, withServer } from "./test-database.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The `regua` command as a user runs it: child processes on an empty database that the CLI
 * migrates itself — an embedded folder on the PGlite pass, a fresh PostgreSQL database on the
 * other. Registers its own beforeAll/afterAll (create and drop the database, remove the folder).
 */
export function cliSandbox(name: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const folder = mkdtempSync(join(tmpdir(), `regua-${name}-`));
  const databaseName = `regua_cli_${randomBytes(5).toString("hex")}`;
  const env: NodeJS.ProcessEnv = onPostgres
    ? { ...process.env, ...extraEnv, DATABASE_URL: databaseUrl(databaseName), REGUA_DATA_DIR: undefined }
    : { ...process.env, ...extraEnv, REGUA_DATA_DIR: join(folder, "data"), DATABASE_URL: undefined };

  beforeAll(async () => {
    if (onPostgres) await withServer((client) => client.query(`create database ${databaseName}`));
  });
  afterAll(async () => {
    if (onPostgres) {
      await withServer((client) => client.query(`drop database if exists ${databaseName} with (force)`));
    }
    rmSync(folder, { recursive: true, force: true });
  });

  return {
    folder,
    env,
    regua(...args: string[]): Promise<CliResult> {
      return new Promise((resolve) => {
        execFile(process.execPath, ["src/cli/main.ts", ...args], { env }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    },
    /** Writes a file into the sandbox's folder and returns its path. */
    file(fileName: string, text: string): string {
      const path = join(folder, fileName);
      writeFileSync(path, text);
      return path;
    },
  };
}
