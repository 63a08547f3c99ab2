import { parseArgs } from "node:util";
import { sql } from "kysely";
import { buildWebIfStale } from "../scripts/build-web.ts";
import { databaseOptionsFromEnv, openDatabase } from "./db/connect.ts";
import { migrate } from "./db/migrate.ts";
import { sealPlaintextSecrets } from "./db/seal-secrets.ts";
import { todayIn } from "./domain/dates.ts";
import { buildApp } from "./http/app.ts";
import { startWorker } from "./jobs/worker.ts";
import { loadDemo } from "./modules/demo/demo.service.ts";
import { DEMO_HISTORY_DAYS } from "./modules/demo/demo-history.ts";
import { errorField, log } from "./observability/log.ts";
import type { Clock } from "./shared/clock.ts";
import { configuredClock, smtpConnections } from "./shared/config.ts";
import { AppError } from "./shared/errors.ts";
import { secretKey } from "./shared/secret-box.ts";

/**
 * `npm start`: one process with the HTTP API on the database the environment names. On an empty
 * embedded database it first loads the demo company, so a fresh clone shows something real.
 * In the same process, the worker plans each tenant's day from 06:00 local time, dispatches the
 * messages (captured unless a provider is configured) and delivers webhooks.
 *   --no-demo     start empty
 *   --no-worker   serve HTTP only (run the worker in another process on PostgreSQL)
 *   PORT, HOST    where to listen (default 3000 on 127.0.0.1)
 *   REGUA_PUBLIC_URL  where the links in messages and portal links point (default http://localhost:PORT)
 *   REGUA_FIXED_TIME  an ISO instant the clock stands at (demos, tests)
 *   REGUA_LOG_LEVEL   JSON log lines on stderr from this level (default info)
 */
const { values: flags } = parseArgs({
  options: {
    "no-demo": { type: "boolean", default: false },
    "no-worker": { type: "boolean", default: false },
  },
  allowPositionals: false,
});
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";

async function main(): Promise<void> {
  // REGUA_FIXED_TIME pins the clock (an ISO instant), for demos and tests of a given day; the CLI
  // reads it the same way (src/shared/config.ts).
  const clock: Clock = configuredClock();
  const options = databaseOptionsFromEnv();
  // fail before serving anything when the key of the stored provider secrets is missing, or when
  // the SMTP connection cap is not a number (else every dispatch would fail on it later)
  secretKey();
  smtpConnections();
  const handle = await openDatabase(options);
  await migrate(handle);
  await sealPlaintextSecrets(handle.db);
  const where = options.url ? "PostgreSQL (DATABASE_URL)" : `banco embutido em ${options.dataDir}`;
  process.stdout.write(`Régua: ${where}\n`);

  const tenants = await sql<{ count: number }>`select count(*)::int as count from tenants`.execute(handle.db);
  if (!flags["no-demo"] && tenants.rows[0]?.count === 0) {
    process.stdout.write(
      `Banco vazio: carregando a empresa de demonstração (2.000 clientes e ${DEMO_HISTORY_DAYS} dias de régua)…\n`,
    );
    const today = todayIn("America/Sao_Paulo", clock.now());
    const demo = await loadDemo(handle.db, {
      today,
      historyDays: DEMO_HISTORY_DAYS,
      onProgress: (done, total) => process.stdout.write(`  ${done}/${total} clientes\n`),
    });
    process.stdout.write(
      `Empresa de demonstração "${demo.tenant.legalName}" (slug ${demo.tenant.slug}): ` +
        `${demo.customers.inserted} clientes, ${demo.invoices.inserted} faturas, ${demo.payments.inserted} pagamentos` +
        (demo.history
          ? `; ${demo.history.days} dias de régua: ${demo.history.messagesSent} mensagens, ${demo.history.clicks} cliques, ${demo.history.agreements} acordos.\n`
          : ".\n"),
    );
  }

  const worker = flags["no-worker"]
    ? undefined
    : await startWorker(handle, {
        clock,
        onError: (error) => log.error({ err: errorField(error) }, "worker job failed"),
        onDailyRun: (runs) => {
          for (const run of runs) {
            const planned = run.report.plan.total;
            process.stdout.write(
              `Régua do dia ${run.date} (${run.tenantSlug}): ${planned} ações planejadas\n`,
            );
          }
        },
      });
  // the operators' dashboard at /app/: built here when web/dist is missing or older than web/
  await buildWebIfStale((line) => process.stdout.write(`${line}\n`));
  const app = await buildApp({ handle, clock });
  await app.listen({ port, host });
  const address = app.server.address();
  const listening = typeof address === "object" && address ? address.port : port;
  const base = `http://${host === "0.0.0.0" ? "localhost" : host}:${listening}`;
  // the CLI must open the same embedded database as this process
  const cli =
    options.url || !process.env.REGUA_DATA_DIR ? "npx regua" : `REGUA_DATA_DIR=${options.dataDir} npx regua`;
  // the banner tells what this database holds: no creditor yet, no operator yet, or where to sign in
  const state = await sql<{ operators: number; slug: string | null }>`
    select (select count(*)::int from operators) as operators,
      (select slug from tenants order by (slug = 'demo') desc, created_at limit 1) as slug`.execute(
    handle.db,
  );
  const { operators = 0, slug = null } = state.rows[0] ?? {};
  const tenant = slug ?? "demo";
  const signIn =
    slug === null
      ? [
          `  ${base}/app/            painel dos operadores: ainda não há credor; carregue a demonstração com`,
          `    ${cli} demo            ou crie o seu com ${cli} tenant create --help`,
        ]
      : operators > 0
        ? [`  ${base}/app/            painel dos operadores: entre com o credor, seu e-mail e sua senha`]
        : [
            `  ${base}/app/            painel dos operadores: entre com o credor ${tenant} e um operador criado com`,
            `    ${cli} operator create --tenant ${tenant} --email voce@exemplo.com.br --role admin --name "Seu nome"`,
          ];
  process.stdout.write(
    [
      "",
      `Régua no ar em ${base}`,
      ...signIn,
      `  ${base}/health          saúde do serviço`,
      `  ${base}/docs            referência da API (OpenAPI em /openapi.json)`,
      "Próximos passos:",
      `  ${cli} apikey create --tenant ${tenant} --name teste     uma chave para a API`,
      `  ${cli} run --date AAAA-MM-DD --tenant ${tenant}          planeja a régua de um dia`,
      `  ${cli} simulate --from AAAA-MM-DD --to AAAA-MM-DD   simula dia a dia`,
      "(pare o servidor antes de usar a CLI no banco embutido: ele só aceita um processo por vez)",
      "",
    ].join("\n"),
  );

  const shutdown = async () => {
    await app.close();
    await worker?.stop();
    await handle.close();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof AppError ? `erro: ${error.message}\n` : `${(error as Error).stack}\n`,
  );
  process.exit(1);
});
