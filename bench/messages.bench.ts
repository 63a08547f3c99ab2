import { type ChildProcess, fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import nodemailer from "nodemailer";
import { type DatabaseHandle, databaseOptionsFromEnv, openDatabase } from "../src/db/connect.ts";
import { migrate } from "../src/db/migrate.ts";
import { Dispatcher, recordingFor } from "../src/modules/messages/dispatcher.ts";
import { emailHtml } from "../src/modules/templates/email-html.ts";
import { FixedClock } from "../src/shared/clock.ts";
import { publicUrl } from "../src/shared/config.ts";
import { insertTestTenant } from "../test/support/fixtures.ts";
import { insertEmailBacklog } from "../test/support/message-fixtures.ts";
import { type BenchFigure, type Benchmark, median } from "./figure.ts";

/**
 * Messages: 20,000 e-mails through the whole dispatcher (claim, render, send, record) to a local
 * SMTP peer, against bare nodemailer sending the very message the dispatcher rendered (same
 * subject, text, HTML and headers, so the same bytes) to the same peer through the same pool of 5
 * connections, with as many messages in nodemailer at a time on both sides (64: bare sends from 64
 * loops; the dispatcher's concurrency is the SMTP thread's in-flight limit); and 50,000 SMS through the dispatcher to a local HTTP peer speaking Zenvia's API.
 * The peers run in a process of their own. Both e-mail sides are warmed up first, then measured
 * in alternating rounds (bare, dispatcher, bare, …) and the median ratio of the rounds is quoted,
 * so that a burst of load on the machine lands on one round rather than on one side.
 * Database: DATABASE_URL, else in-memory PGlite.
 */
const EMAILS = Number(process.env.BENCH_EMAILS ?? 20_000);
const SMS = Number(process.env.BENCH_SMS ?? 50_000);
const EMAIL_ROUNDS = Number(process.env.BENCH_EMAIL_ROUNDS ?? 3);
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

/** One e-mail as the dispatcher sent it: what bare nodemailer sends, for the same bytes. */
interface SampleEmail {
  subject: string;
  text: string;
  optOutUrl: string;
}

async function sampleEmail(handle: DatabaseHandle, tenantId: string): Promise<SampleEmail> {
  const message = await handle.db
    .selectFrom("messages as m")
    .innerJoin("short_links as l", (join) =>
      join.onRef("l.tenant_id", "=", "m.tenant_id").onRef("l.message_id", "=", "m.id"),
    )
    .select(["m.subject", "m.body", "l.code"])
    .where("m.tenant_id", "=", tenantId)
    .where("m.state", "=", "sent")
    .where("l.kind", "=", "optout")
    .limit(1)
    .executeTakeFirstOrThrow();
  return {
    subject: message.subject ?? "",
    text: message.body ?? "",
    optOutUrl: `${publicUrl()}/l/${message.code}`,
  };
}

async function bareNodemailer(url: string, count: number, email: SampleEmail): Promise<number> {
  const transport = nodemailer.createTransport(url, {
    pool: true,
    maxConnections: SMTP_CONNECTIONS,
    maxMessages: Number.POSITIVE_INFINITY,
  } as never);
  const html = emailHtml(email.subject, email.text);
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await transport.sendMail({
        from: "Credora <cobranca@credora.com.br>",
        to: `k${index}@example.com`,
        subject: email.subject,
        text: email.text,
        html,
        // as the dispatcher does (the action id), so neither side pays for making one
        messageId: `<${index}-bare@credora.com.br>`,
        headers: {
          "List-Unsubscribe": `<${email.optOutUrl}>`,
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
): Promise<{ rate: number; sent: number; tenantId: string }> {
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
    ...recordingFor(handle.kind),
  });
  const started = performance.now();
  const report = await dispatcher.drain();
  const seconds = (performance.now() - started) / 1000;
  await dispatcher.close();
  return { rate: report.sent / seconds, sent: report.sent, tenantId: tenant.id };
}

const benchmark: Benchmark = async () => {
  const options = databaseOptionsFromEnv();
  const handle = await openDatabase(options.url ? { url: options.url } : {});
  await migrate(handle);
  const figures: BenchFigure[] = [];
  try {
    const smtp = await startPeer("smtp");
    // warm both sides up first (JIT, the database, the peer's connections), so that neither
    // measured run pays for it; the dispatcher's warm-up also gives the message bare sends
    const warmUp = await dispatcherRate(handle, "email", Math.min(1000, EMAILS), smtp.url);
    const email = await sampleEmail(handle, warmUp.tenantId);
    await bareNodemailer(smtp.url, Math.min(1000, EMAILS), email);
    const bareRates: number[] = [];
    const ourRates: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < EMAIL_ROUNDS; round++) {
      const bare = await bareNodemailer(smtp.url, EMAILS, email);
      const before = await smtp.count();
      const ours = await dispatcherRate(handle, "email", EMAILS, smtp.url);
      const after = await smtp.count();
      if (ours.sent !== EMAILS || after.count - before.count !== EMAILS) {
        smtp.stop();
        throw new Error(
          `e-mails: dispatcher sent ${ours.sent}, peer received ${after.count - before.count} of ${EMAILS}`,
        );
      }
      bareRates.push(bare);
      ourRates.push(ours.rate);
      ratios.push((ours.rate / bare) * 100);
    }
    smtp.stop();
    figures.push({
      name: `e-mails through the dispatcher vs bare nodemailer (${handle.kind})`,
      value: median(ratios),
      unit: "%",
      floor: 80,
      better: "higher",
      note: `${EMAILS} e-mails, median of ${EMAIL_ROUNDS} alternating rounds (${ratios.map((ratio) => ratio.toFixed(1)).join(", ")}%): dispatcher ${median(ourRates).toFixed(0)}/s, bare nodemailer ${median(bareRates).toFixed(0)}/s`,
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
