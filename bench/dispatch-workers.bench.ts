import { type ChildProcess, fork, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { type DatabaseHandle, databaseOptionsFromEnv, openDatabase } from "../src/db/connect.ts";
import { migrate } from "../src/db/migrate.ts";
import { insertTestTenant } from "../test/support/fixtures.ts";
import { insertEmailBacklog } from "../test/support/message-fixtures.ts";
import type { BenchFigure, Benchmark } from "./figure.ts";

/**
 * Dispatch across worker processes (issue 14), on PostgreSQL (DATABASE_URL): each worker is a
 * process of its own running the product's dispatch loop (test/support/regua-worker.ts), the SMTP
 * peer another (bench/message-peer-process.ts).
 * - Takeover: 5,000 e-mails due at once for a tenant with the default rate (50 e-mails/s), two
 *   workers; the same run fault-free and with one worker SIGKILLed in the middle (not restarted):
 *   time to drain with the kill ≤ 1.5× without.
 * - Scale: e-mails to a peer that takes 20 ms per message, rate limit far above what is reached;
 *   two workers' rate ≥ 1.6× one worker's.
 * Times run from the moment the e-mails are due to the moment the last is recorded as sent and
 * the peer holds every Message-ID.
 */
const FAULT_EMAILS = Number(process.env.BENCH_FAULT_EMAILS ?? 5000);
const SCALE_EMAILS = Number(process.env.BENCH_SCALE_EMAILS ?? 4000);
const here = dirname(fileURLToPath(import.meta.url));
const workerScript = join(here, "..", "test", "support", "regua-worker.ts");

interface Peer {
  url: string;
  count(): Promise<{ count: number; distinct: number }>;
  stop(): void;
}

async function startPeer(delayMs: number): Promise<Peer> {
  const child: ChildProcess = fork(join(here, "message-peer-process.ts"), ["smtp", String(delayMs)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve) =>
    child.once("message", (message) => resolve((message as { url: string }).url)),
  );
  return {
    url,
    count: () =>
      new Promise((resolve) => {
        child.once("message", (message) => resolve(message as { count: number; distinct: number }));
        child.send("count");
      }),
    stop: () => child.kill(),
  };
}

/** A worker process, resolved once it is up (pg-boss started, loop idle). */
async function startWorker(databaseUrl: string, smtpUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [workerScript], {
    env: { ...process.env, DATABASE_URL: databaseUrl, SMTP_URL: smtpUrl, NO_HTTP: "1", IDLE_SECONDS: "0.2" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes('{"port"')) resolve();
    });
    child.once("exit", (code) => reject(new Error(`a worker exited at start (${code})`)));
  });
  return child;
}

async function sentCount(handle: DatabaseHandle, tenantId: string): Promise<number> {
  const row = await sql<{ count: number }>`
    select count(*)::int as count from messages where tenant_id = ${tenantId} and state = 'sent'`.execute(
    handle.db,
  );
  return Number(row.rows[0]?.count ?? 0);
}

/**
 * Makes `emails` e-mails due for a new tenant with `workers` workers idle, then times the drain;
 * `killAt` SIGKILLs the first worker once that many are recorded as sent.
 */
async function timedDrain(
  handle: DatabaseHandle,
  options: {
    emails: number;
    workers: number;
    perSecond: number | null;
    peerDelayMs: number;
    killAt?: number;
  },
): Promise<{ seconds: number; copies: number }> {
  const peer = await startPeer(options.peerDelayMs);
  const url = handle.url!;
  const workers: ChildProcess[] = [];
  try {
    for (let index = 0; index < options.workers; index++) workers.push(await startWorker(url, peer.url));
    const tenant = await insertTestTenant(handle.db);
    if (options.perSecond !== null) {
      await handle.db
        .insertInto("messaging_settings")
        .values({ tenant_id: tenant.id, email_per_second: options.perSecond })
        .execute();
    }
    const before = await peer.count();
    const now = new Date();
    const started = performance.now();
    await insertEmailBacklog(
      handle.db,
      tenant.id,
      options.emails,
      new Date(now.getTime() - 60_000),
      new Date(now.getTime() + 6 * 3_600_000),
    );
    let killed = options.killAt === undefined;
    for (;;) {
      const sent = await sentCount(handle, tenant.id);
      if (!killed && sent >= options.killAt!) {
        workers[0]!.kill("SIGKILL");
        killed = true;
      }
      if (sent >= options.emails) {
        const received = await peer.count();
        if (received.distinct - before.distinct >= options.emails) {
          return {
            seconds: (performance.now() - started) / 1000,
            copies: received.count - before.count - (received.distinct - before.distinct),
          };
        }
      }
      if (performance.now() - started > 900_000) throw new Error(`drain did not finish: ${sent} sent`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    for (const worker of workers) worker.kill("SIGKILL");
    peer.stop();
  }
}

const benchmark: Benchmark = async () => {
  const options = databaseOptionsFromEnv();
  if (!options.url) {
    process.stdout.write("  dispatch-workers: needs PostgreSQL (DATABASE_URL); not measured on PGlite\n");
    return [];
  }
  const handle = await openDatabase({ url: options.url });
  await migrate(handle);
  const figures: BenchFigure[] = [];
  try {
    // the default rate of a tenant (50 e-mails/s), as an operator runs it
    const clean = await timedDrain(handle, {
      emails: FAULT_EMAILS,
      workers: 2,
      perSecond: null,
      peerDelayMs: 0,
    });
    const faulted = await timedDrain(handle, {
      emails: FAULT_EMAILS,
      workers: 2,
      perSecond: null,
      peerDelayMs: 0,
      killAt: Math.floor(FAULT_EMAILS / 2),
    });
    figures.push({
      name: "drain with a worker SIGKILLed midway vs fault-free (pg)",
      value: faulted.seconds / clean.seconds,
      unit: "×",
      floor: 1.5,
      better: "lower",
      note: `${FAULT_EMAILS} e-mails, 2 workers, default 50/s: ${clean.seconds.toFixed(1)} s fault-free, ${faulted.seconds.toFixed(1)} s with the kill (${faulted.copies} copies, same Message-ID)`,
    });

    const one = await timedDrain(handle, {
      emails: SCALE_EMAILS,
      workers: 1,
      perSecond: 1_000_000,
      peerDelayMs: 20,
    });
    const two = await timedDrain(handle, {
      emails: SCALE_EMAILS,
      workers: 2,
      perSecond: 1_000_000,
      peerDelayMs: 20,
    });
    const oneRate = SCALE_EMAILS / one.seconds;
    const twoRate = SCALE_EMAILS / two.seconds;
    figures.push({
      name: "dispatch rate, 2 workers vs 1, peer 20 ms/message (pg)",
      value: twoRate / oneRate,
      unit: "×",
      floor: 1.6,
      better: "higher",
      note: `${SCALE_EMAILS} e-mails: 1 worker ${oneRate.toFixed(0)}/s, 2 workers ${twoRate.toFixed(0)}/s`,
    });
  } finally {
    await handle.close();
  }
  return figures;
};

export default benchmark;
