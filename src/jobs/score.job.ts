import type { Kysely } from "kysely";
import type { PgBoss } from "pg-boss";
import type { Database } from "../db/database.ts";
import { scoreOpenInvoices, trainPaymentModel } from "../modules/scores/score.service.ts";
import { listTenants } from "../modules/tenants/tenant.service.ts";
import type { Clock } from "../shared/clock.ts";

export const SCORE_TRAIN_QUEUE = "scores-train";
export const SCORE_DAILY_QUEUE = "scores-daily";

/**
 * The probability of payment on its own: every Monday at 04:00 (UTC) each tenant's model is
 * retrained on its history and every open invoice rescored; every other day at 04:30 the open
 * invoices are rescored with the model in force (days overdue and history move daily).
 */
export async function startScoreJobs(boss: PgBoss, db: Kysely<Database>, clock: Clock): Promise<void> {
  const workOptions = { pollingIntervalSeconds: 30, batchSize: 1 };
  await boss.createQueue(SCORE_TRAIN_QUEUE, { policy: "short", retryLimit: 2, retryDelay: 600 });
  await boss.schedule(SCORE_TRAIN_QUEUE, "0 4 * * 1");
  await boss.work(SCORE_TRAIN_QUEUE, workOptions, async () => {
    const tenants = await listTenants(db);
    const results = [];
    for (const tenant of tenants) {
      const outcome = await trainPaymentModel(db, tenant, clock);
      const { scored } = await scoreOpenInvoices(db, tenant, clock);
      results.push({
        tenant: tenant.slug,
        model: outcome.model.kind,
        auc: outcome.evaluation?.auc ?? null,
        scored,
      });
    }
    return { tenants: results };
  });
  await boss.createQueue(SCORE_DAILY_QUEUE, { policy: "short", retryLimit: 2, retryDelay: 300 });
  await boss.schedule(SCORE_DAILY_QUEUE, "30 4 * * 0,2-6");
  await boss.work(SCORE_DAILY_QUEUE, workOptions, async () => {
    const tenants = await listTenants(db);
    const results = [];
    for (const tenant of tenants)
      results.push({ tenant: tenant.slug, ...(await scoreOpenInvoices(db, tenant, clock)) });
    return { tenants: results };
  });
}
