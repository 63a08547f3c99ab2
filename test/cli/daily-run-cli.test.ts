import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createAcme } from "../support/cli-portfolio.ts";
import { type CliResult, cliSandbox } from "../support/cli-sandbox.ts";

/**
 * `regua run` and `regua runs` as a user runs them: one clock for every entry point. With the clock
 * pinned (REGUA_FIXED_TIME, or --now) to a past Monday, the day's reminder goes out inside that
 * day's contact window; running an earlier day later never moves standing backwards.
 */
const { regua, file, env } = cliSandbox("daily-run-cli");
// every command is a process that opens and migrates the database: slow on a busy machine
const slow = { timeout: 240_000 };

function reguaAt(fixedTime: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["src/cli/main.ts", ...args],
      { env: { ...env, REGUA_FIXED_TIME: fixedTime } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface RunReport {
  tenant: string;
  status: string;
  date: string;
  standingDate: string;
  plan: { counts: { channel: string; status: string; skipReason: string | null; count: number }[] };
  standing: { from: string; to: string; count: number }[];
  messages: { sent: number; skipped: number };
}

describe("regua run on a pinned clock, and regua runs", () => {
  it(
    "sets up a creditor with a debtor due Saturday (D-5 on Monday) and one overdue since September",
    slow,
    async () => {
      await createAcme(regua);
      const customers = await regua(
        "import",
        "customers",
        file(
          "customers.csv",
          "external_id;name;document;email;state\nc1;Ana;529.982.247-25;ana@example.com;SP\nc2;Bruno;390.533.447-05;bruno@example.com;SP\n",
        ),
      );
      expect(customers.code, customers.stderr).toBe(0);
      const invoices = await regua(
        "import",
        "invoices",
        file(
          "invoices.csv",
          "external_id,customer_external_id,amount,due_date\nf1,c1,100,28/11/2026\nf2,c2,200,01/09/2026\n",
        ),
      );
      expect(invoices.code, invoices.stderr).toBe(0);
    },
  );

  it(
    "REGUA_FIXED_TIME pins the CLI's clock: the day's e-mail is sent, not 'window ended'",
    slow,
    async () => {
      const run = await reguaAt("2026-11-23T10:00:00-03:00", "run", "--date", "2026-11-23", "--json");
      expect(run.code, run.stderr).toBe(0);
      const [report] = JSON.parse(run.stdout) as RunReport[];
      expect(report).toMatchObject({ tenant: "acme", status: "done", date: "2026-11-23" });
      expect(report!.plan.counts).toContainEqual({
        channel: "email",
        status: "planned",
        skipReason: null,
        count: 1,
      });
      expect(report!.messages.sent).toBeGreaterThanOrEqual(1);
      expect(report!.messages.skipped).toBe(0);
      // Bruno, 83 days overdue on the 23rd, is cancelled as of that day
      expect(report!.standing).toContainEqual(expect.objectContaining({ from: "ok", to: "cancelled" }));
    },
  );

  it(
    "--now wins over REGUA_FIXED_TIME; a past day run later never moves standing backwards",
    slow,
    async () => {
      const run = await reguaAt(
        "2026-01-01T10:00:00-03:00",
        "run",
        "--date",
        "2026-09-05",
        "--now",
        "2026-11-23T11:00:00-03:00",
        "--json",
      );
      expect(run.code, run.stderr).toBe(0);
      const [report] = JSON.parse(run.stdout) as RunReport[];
      expect(report).toMatchObject({ date: "2026-09-05", standingDate: "2026-11-23", standing: [] });
    },
  );

  it("an instant without its zone is refused, naming the option", slow, async () => {
    const bad = await regua("run", "--now", "23/11/2026 10:00");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^erro: --now: "23\/11\/2026 10:00" não é um instante válido/);
    const badEnv = await reguaAt("amanhã", "run");
    expect(badEnv.code).toBe(1);
    expect(badEnv.stderr).toMatch(/^erro: REGUA_FIXED_TIME: "amanhã" não é um instante válido/);
  });

  it("regua runs lists each day with its status, newest first", slow, async () => {
    const runs = await regua("runs", "--tenant", "acme", "--json");
    expect(runs.code, runs.stderr).toBe(0);
    const listed = JSON.parse(runs.stdout) as { tenant: string; runs: { date: string; status: string }[] };
    expect(listed.runs.map((run) => [run.date, run.status])).toEqual([
      ["2026-11-23", "done"],
      ["2026-09-05", "done"],
    ]);
    const text = await regua("runs", "--tenant", "acme");
    expect(text.stdout).toMatch(/^23\/11\/2026 {2}concluída/m);
    const badStatus = await regua("runs", "--status", "quebrada");
    expect(badStatus.code).toBe(1);
    expect(badStatus.stderr).toMatch(/^erro: --status deve ser running, done ou failed/);
  });
});
