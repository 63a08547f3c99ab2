import Fastify, { type FastifyInstance } from "fastify";
import type { DatabaseHandle } from "../db/connect.ts";
import type { Clock } from "../shared/clock.ts";
import { installErrorHandler } from "./error-handler.ts";
import { registerHealthRoutes } from "./health.routes.ts";

export interface AppContext {
  handle: DatabaseHandle;
  clock: Clock;
}

/** The HTTP application: every route module registers itself here with the shared context. */
export async function buildApp(context: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: "x-request-id",
  });
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  installErrorHandler(app);
  registerHealthRoutes(app, context);
  return app;
}
