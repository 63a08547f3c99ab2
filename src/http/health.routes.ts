import type { FastifyInstance, FastifyReply } from "fastify";
import { pendingMigrations } from "../db/migrate.ts";
import { faults } from "../i18n/pt-BR/faults.ts";
import type { AppContext } from "./app.ts";
import { DATABASE_RETRY_AFTER_SECONDS } from "./error-handler.ts";

/**
 * Health for load balancers and orchestrators (docs/api.md):
 * - `GET /health/live`: the process is up and its event loop answers, whatever the database
 *   does (a liveness probe that restarted the process on a database outage would only add one);
 * - `GET /health/ready`: the database answers and every migration this code knows is applied
 *   (a readiness probe: send traffic here or not); 503 with Retry-After otherwise;
 * - `GET /health`: the readiness answer, as before (`status: "ok"` when ready).
 */
export function registerHealthRoutes(app: FastifyInstance, context: AppContext): void {
  app.get("/health/live", async () => ({
    status: "live",
    message: faults.health.live,
    time: context.clock.now().toISOString(),
  }));

  const ready = async (reply: FastifyReply, okStatus: "ok" | "ready") => {
    const database = context.handle.kind;
    let pending: string[];
    try {
      pending = await pendingMigrations(context.handle);
    } catch {
      return reply
        .status(503)
        .header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS))
        .send({ status: "unavailable", database, reason: faults.health.databaseUnreachable });
    }
    if (pending.length > 0) {
      return reply
        .status(503)
        .header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS))
        .send({ status: "unavailable", database, reason: faults.health.migrationsPending(pending) });
    }
    return {
      status: okStatus,
      database,
      message: faults.health.ready,
      time: context.clock.now().toISOString(),
    };
  };
  app.get("/health/ready", async (_request, reply) => ready(reply, "ready"));
  app.get("/health", async (_request, reply) => ready(reply, "ok"));
}
