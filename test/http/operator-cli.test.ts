import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/db/connect.ts";
import { migrate } from "../../src/db/migrate.ts";
import { login } from "../../src/modules/operators/operator.service.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { onPostgres, openTestDatabase } from "../support/test-database.ts";

/** `regua operator create` as a user runs it: a child process, the password on stdin. */
let handle: DatabaseHandle;
let dataDir: string | undefined;
let slug: string;

async function open(): Promise<DatabaseHandle> {
  if (onPostgres) return handle;
  const embedded = await openDatabase({ dataDir: dataDir! });
  await migrate(embedded);
  return embedded;
}

beforeAll(async () => {
  if (onPostgres) handle = await openTestDatabase();
  else dataDir = mkdtempSync(join(tmpdir(), "regua-cli-"));
  const db = await open();
  slug = (await insertTestTenant(db.db)).slug;
  if (!onPostgres) await db.close();
});

afterAll(async () => {
  if (onPostgres) await handle.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function regua(args: string[], stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    ...(onPostgres ? { DATABASE_URL: handle.url } : { REGUA_DATA_DIR: dataDir }),
  };
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ["src/cli/main.ts", ...args], { env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin);
  });
}

it("creates an operator who can then sign in, and refuses a short password in pt-BR", async () => {
  const created = await regua(
    [
      "operator",
      "create",
      "--tenant",
      slug,
      "--email",
      "Gestora@Credora.com.br",
      "--role",
      "admin",
      "--password-stdin",
      "--json",
    ],
    "uma-senha-longa\n",
  );
  expect(created.stderr).toBe("");
  expect(JSON.parse(created.stdout)).toMatchObject({ email: "gestora@credora.com.br", role: "admin" });

  const short = await regua(
    [
      "operator",
      "create",
      "--tenant",
      slug,
      "--email",
      "outra@credora.com.br",
      "--role",
      "viewer",
      "--password-stdin",
    ],
    "curta\n",
  );
  expect(short.code).toBe(1);
  expect(short.stderr).toContain("ao menos 10 caracteres");

  const db = await open();
  try {
    const session = await login(
      db.db,
      { tenant: slug, email: "gestora@credora.com.br", password: "uma-senha-longa" },
      new Date("2026-11-23T12:00:00Z"),
    );
    expect(session.operator.role).toBe("admin");
    const stored = await db.db.selectFrom("operators").select("password_hash").executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored.password_hash).not.toContain("uma-senha-longa");
  } finally {
    if (!onPostgres) await db.close();
  }
});
