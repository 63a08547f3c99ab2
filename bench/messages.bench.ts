import { type ChildProcess, fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import nodemailer from "nodemailer";
import { type DatabaseHandle, databaseOptionsFromEnv, openDatabase } from "../src/db/connect.ts";
import { migrate } from "../src/db/migrate.ts";
import { Dispatcher, recordEveryFor } from "../src/modules/messages/dispatcher.ts";
import { emailHtml } from "../src/modules/templates/email-html.ts";
import { FixedClock } from "../src/shared/clock.ts";
import { insertTestTenant } from "../test/support/fixtures.ts";
import { insertEmailBacklog } from "../test/support/message-fixtures.ts";
import type { BenchFigure, Benchmark } from "./figure.ts";

/**
 * Messages: 20,000 e-mails through the whole dispatcher (claim, render, send, record) to a local
 * SMTP peer, against bare nodemailer sending the same kind of message to the same peer (same pool
 * of 5 connections); and 50,000 SMS through the dispatcher to a local HTTP peer speaking Zenvia's
 * API. The peers run in a process of their own. Database: DATABASE_URL, else in-memory PGlite.
 */
const EMAILS = Number(process.env.BENCH_EMAILS ?? 20_000);
const SMS = Number(process.env.BENCH_SMS ?? 50_000);
const SMTP_CONNECTIONS = 5;
const here = dirname(fileURLToPath(import.meta.url));

interface Peer {
  url: string;
  count(): Promise<{ count: number; distinct: number }>;
  stop(): void;
}

async function startPeer(kind: "smtp" | "http"): Promise<Peer> {
  const child: ChildProcess = fork(join(here, "message-peer-process.ts"), [kind], {
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

async function bareNodemailer(url: string, count: number): Promise<number> {
  const transport = nodemailer.createTransport(url, {
    pool: true,
    maxConnections: SMTP_CONNECTIONS,
    maxMessages: Number.POSITIVE_INFINITY,
  } as never);
  const text = `Olá, Cliente.\n\nNão identificamos o pagamento de sua fatura. O valor atualizado para hoje é R$ 133,06:\n\n- Mensalidade: vencimento 01/11/2026, R$ 133,06\n\nCredora Exemplo Ltda — CNPJ 11.222.333/0001-81\nAv. Paulista, 1000\n`;
  const html = emailHtml("Opa, atrasou!", text);
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await transport.sendMail({
        from: "Credora <cobranca@credora.com.br>",
        to: `k${index}@example.com`,
        subject: "Opa, atrasou!",
        text,
        html,
        headers: {
          "List-Unsubscribe": "<http://localhost:3000/l/abc>",
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
      });
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return count / seconds;
}

async function dispatcherRate(
  handle: DatabaseHandle,
  channel: "email" | "sms",
  count: number,
  peerUrl: string,
): Promise<{ rate: number; sent: number }> {
  const tenant = await insertTestTenant(handle.db);
  const now = new Date("2026-11-23T13:00:00Z");
  if (channel === "sms") {
    await handle.db
      .insertInto("messaging_settings")
      .values({
        tenant_id: tenant.id,
        sms_provider: "zenvia",
        sms_base_url: peerUrl,
        sms_token: "t",
        sms_from: "credora",
        sms_per_second: 1_000_000,
      })
      .execute();
  } else {
    await handle.db
      .insertInto("messaging_settings")
      .values({ tenant_id: tenant.id, email_per_second: 1_000_000 })
      .execute();
  }
  await insertEmailBacklog(handle.db, tenant.id, count, now, new Date("2026-11-23T22:00:00Z"), channel);
  const dispatcher = new Dispatcher(handle.db, {
    clock: new FixedClock(now),
    tenantId: tenant.id,
    smtpUrl: channel === "email" ? peerUrl : null,
    emailFrom: "Credora <cobranca@credora.com.br>",
    smtpConnections: SMTP_CONNECTIONS,
    batchSize: 1000,
    concurrency: 64,
    recordEvery: recordEveryFor(handle.kind),
  });
  const started = performance.now();
  const report = await dispatcher.drain();
  const seconds = (performance.now() - started) / 1000;
  await dispatcher.close();
  return { rate: report.sent / seconds, sent: report.sent };
}

const benchmark: Benchmark = async () => {
  const options = databaseOptionsFromEnv();
  const handle = await openDatabase(options.url ? { url: options.url } : {});
  await migrate(handle);
  const figures: BenchFigure[] = [];
  try {
    const smtp = await startPeer("smtp");
    // warm both sides up first (JIT, the peer's connections), so that neither run pays for it
    await bareNodemailer(smtp.url, Math.min(1000, EMAILS));
    const bare = await bareNodemailer(smtp.url, EMAILS);
    const before = await smtp.count();
    const ours = await dispatcherRate(handle, "email", EMAILS, smtp.url);
    const after = await smtp.count();
    smtp.stop();
    if (ours.sent !== EMAILS || after.count - before.count !== EMAILS) {
      throw new Error(
        `e-mails: dispatcher sent ${ours.sent}, peer received ${after.count - before.count} of ${EMAILS}`,
      );
    }
    figures.push({
      name: `e-mails through the dispatcher vs bare nodemailer (${handle.kind})`,
      value: (ours.rate / bare) * 100,
      unit: "%",
      floor: 80,
      better: "higher",
      note: `${EMAILS} e-mails: dispatcher ${ours.rate.toFixed(0)}/s, bare nodemailer ${bare.toFixed(0)}/s`,
    });

    const http = await startPeer("http");
    const sms = await dispatcherRate(handle, "sms", SMS, http.url);
    const received = await http.count();
    http.stop();
    if (sms.sent !== SMS || received.count !== SMS)
      throw new Error(`SMS: sent ${sms.sent}, peer received ${received.count} of ${SMS}`);
    figures.push({
      name: `SMS through the dispatcher to a Zenvia-like HTTP peer (${handle.kind})`,
      value: sms.rate,
      unit: "SMS/s",
      floor: 1000,
      better: "higher",
      note: `${SMS} SMS`,
    });
  } finally {
    await handle.close();
  }
  return figures;
};

export default benchmark;
