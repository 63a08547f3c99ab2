import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connect.ts";
import { createAcme } from "../support/cli-portfolio.ts";
import { cliSandbox } from "../support/cli-sandbox.ts";
import { onPostgres } from "../support/test-database.ts";

/**
 * `regua import` reads the same files as POST /v1/imports: UTF-8, UTF-8 with BOM and Windows-1252
 * (detected, or declared with --encoding), and names bad rows by the line a spreadsheet shows.
 */
const { regua, folder, env } = cliSandbox("import-encoding");

const documents = [
  "529.982.247-25",
  "390.533.447-05",
  "111.444.777-35",
  "123.456.789-09",
  "935.411.347-80",
  "987.654.321-00",
];
let counter = 0;

function joaoFile(encode: (text: string) => Buffer): { path: string; externalId: string } {
  counter += 1;
  const externalId = `cli-enc-${counter}`;
  const path = join(folder, `${externalId}.csv`);
  writeFileSync(
    path,
    encode(`external_id;name;document\r\n${externalId};João Conceição;${documents[counter]}\r\n`),
  );
  return { path, externalId };
}

async function storedName(externalId: string): Promise<string | undefined> {
  const handle = await openDatabase(onPostgres ? { url: env.DATABASE_URL } : { dataDir: env.REGUA_DATA_DIR });
  try {
    const row = await handle.db
      .selectFrom("customers")
      .select("name")
      .where("external_id", "=", externalId)
      .executeTakeFirst();
    return row?.name;
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  await createAcme(regua);
});

describe("regua import reads João in every encoding", () => {
  it.each([
    [
      "UTF-8 with BOM, detected",
      (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]),
      [],
    ],
    ["Windows-1252, detected", (text: string) => Buffer.from(text, "latin1"), []],
    ["Windows-1252, declared", (text: string) => Buffer.from(text, "latin1"), ["--encoding", "windows-1252"]],
  ])("%s", async (_label, encode, extra) => {
    const { path, externalId } = joaoFile(encode);
    const imported = await regua("import", "customers", path, ...extra);
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toContain("1 novas");
    expect(await storedName(externalId)).toBe("João Conceição");
  });

  it("refuses Latin-1 bytes declared as UTF-8 with the line, and writes nothing", async () => {
    const { path, externalId } = joaoFile((text) => Buffer.from(text, "latin1"));
    const refused = await regua("import", "customers", path, "--encoding", "utf-8");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/arquivo: a linha 2 tem bytes que não são UTF-8/);
    expect(await storedName(externalId)).toBeUndefined();
  });

  it("names a bad row by its spreadsheet line, as the API does", async () => {
    const path = join(folder, "bad-line.csv");
    writeFileSync(
      path,
      "external_id;name;document\ncli-line-1;Ana;529.982.247-25\ncli-line-2;Bia;111.111.111-11\n",
    );
    const text = await regua("import", "customers", path);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("linha 3 (document):");
  });
});
