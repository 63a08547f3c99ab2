import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connect.ts";
import { onPostgres } from "../support/test-database.ts";

const holderScript = `
import { openDatabase } from "./src/db/connect.ts";
await openDatabase({ dataDir: process.argv[1] });
process.stdout.write("ready\\n");
setInterval(() => {}, 1000);
`;

function startHolder(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", holderScript, dataDir], {
    cwd: process.cwd(),
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`holder exited with ${code}`)));
  });
}

// The lock protects the embedded database only; PostgreSQL handles concurrent clients itself.
describe.skipIf(onPostgres)("the embedded database folder", () => {
  let holder: ChildProcess | undefined;
  afterEach(() => {
    holder?.kill("SIGKILL");
  });

  it("refuses a second process with a clear error, and is usable again once the holder died", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "regua-lock-"));
    holder = await startHolder(dataDir);

    await expect(openDatabase({ dataDir })).rejects.toThrow(
      new RegExp(`já está aberto pelo processo ${holder.pid}.*REGUA_DATA_DIR`),
    );

    holder.kill("SIGKILL");
    await new Promise((resolve) => holder!.once("exit", resolve));
    const handle = await openDatabase({ dataDir });
    await handle.close();
  });
});
