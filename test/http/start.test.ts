import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_HISTORY_DAYS } from "../../src/modules/demo/demo-history.ts";
import { onPostgres } from "../support/test-database.ts";

/** `npm start` as a user runs it: a process that prints where it listens and answers /health. */
function start(
  env: NodeJS.ProcessEnv,
  args: string[],
): Promise<{ child: ChildProcess; base: string; output: string }> {
  const child = spawn(process.execPath, ["src/main.ts", ...args], {
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/Régua no ar em (http:\/\/\S+)/);
      if (match) resolve({ child, base: match[1]!, output });
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("exit", (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

/** Waits for `pattern` in what the child printed so far (`seen`) and from now on. */
function waitForOutput(child: ChildProcess, pattern: RegExp, seen: string): Promise<RegExpMatchArray> {
  let output = seen;
  return new Promise((resolve) => {
    const early = output.match(pattern);
    if (early) resolve(early);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(pattern);
      if (match) resolve(match);
    });
  });
}

// Starting the embedded product is about PGlite; on PostgreSQL the same code path is the API tests'.
describe.skipIf(onPostgres)("npm start", () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill("SIGTERM");
  });

  it("starts on an empty embedded database without the demo, answers /health and says where to go next", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "regua-start-"));
    const { child, base, output } = await start({ REGUA_DATA_DIR: dataDir, DATABASE_URL: "" }, ["--no-demo"]);
    children.push(child);
    expect(output).toContain(`banco embutido em ${dataDir}`);
    expect(output).toContain("/docs");
    // no creditor yet: how to load the demo or create one, on this very database, and no operator
    // for a creditor that does not exist
    expect(output).toContain("ainda não há credor");
    expect(output).toContain(`REGUA_DATA_DIR=${dataDir} npx regua demo`);
    expect(output).not.toContain("operator create --tenant demo");
    expect(output).not.toContain("demonstração (2.000");
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: "pglite" });
    // the address a user types first leads to the dashboard
    const front = await fetch(`${base}/`, { redirect: "manual" });
    expect(front.status).toBe(302);
    expect(front.headers.get("location")).toBe("/app/");
  });

  it("stops asking for an operator once one exists", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "regua-start-"));
    const env = { ...process.env, REGUA_DATA_DIR: dataDir, DATABASE_URL: "" };
    const cli = (args: string[], input = "") =>
      execFileSync(process.execPath, ["src/cli/main.ts", ...args], { env, input });
    cli(
      [
        "tenant",
        "create",
        "--slug",
        "acme",
        "--name",
        "ACME Ltda",
        "--document",
        "11.222.333/0001-81",
      ].concat(["--address", "Rua A, 1, São Paulo - SP"]),
    );
    cli(
      ["operator", "create", "--tenant", "acme", "--email", "ana@acme.com.br", "--role", "admin"].concat([
        "--name",
        "Ana",
        "--password-stdin",
      ]),
      "senha-forte-123\n",
    );
    const { child, output } = await start({ REGUA_DATA_DIR: dataDir, DATABASE_URL: "" }, ["--no-demo"]);
    children.push(child);
    expect(output).toContain("entre com o credor, seu e-mail e sua senha");
    expect(output).not.toContain("operator create");
    // the next steps name the creditor this database has
    expect(output).toContain("apikey create --tenant acme");
  });

  it("loads the demo company into an empty database and plans its day at once", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "regua-start-"));
    const { child, output } = await start(
      { REGUA_DATA_DIR: dataDir, DATABASE_URL: "", REGUA_FIXED_TIME: "2026-11-23T13:00:00Z" },
      [],
    );
    children.push(child);
    expect(output).toMatch(
      /Empresa de demonstração "Empresa Demonstração Régua Ltda" \(slug demo\): 2000 clientes/,
    );
    const planned = await waitForOutput(
      child,
      /Régua do dia 2026-11-23 \(demo\): (\d+) ações planejadas/,
      output,
    );
    expect(Number(planned[1])).toBeGreaterThan(0);
    // the demo came with its weeks of régua, and the banner asks for an operator of that creditor
    expect(output).toMatch(
      new RegExp(`${DEMO_HISTORY_DAYS} dias de régua: \\d+ mensagens, \\d+ cliques, \\d+ acordos`),
    );
    expect(output).toContain("operator create --tenant demo --email");
  }, 240_000);
});
