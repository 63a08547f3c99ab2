import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import type { AppContext } from "./app.ts";

/** `GET /health`: the process answers and its database answers (for load balancers and `npm start`). */
export function registerHealthRoutes(app: FastifyInstance, context: AppContext): void {
  app.get("/health", async (_request, reply) => {
    try {
      await sql`select 1`.execute(context.handle.db);
      return { status: "ok", database: context.handle.kind, time: context.clock.now().toISOString() };
    } catch {
      return reply.status(503).send({ status: "unavailable", database: context.handle.kind });
    }
  });
}
