import type { FastifyInstance } from "fastify";
import { log } from "./log.ts";

/**
 * One JSON line per HTTP request once answered: request id, tenant (when a key or an operator
 * session named one), method, the route's pattern — never the path itself, which may carry a
 * portal token or a short-link code — status and milliseconds. 5xx at error level, 4xx at warn.
 */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook("onResponse", async (request, reply) => {
    const status = reply.statusCode;
    const level = status >= 500 ? "error" : status >= 400 ? "warn" : "info";
    if (!log.isLevelEnabled(level)) return;
    log[level](
      {
        reqId: request.id,
        tenant: request.principal?.tenantId,
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status,
        ms: Math.round(reply.elapsedTime),
      },
      "request",
    );
  });
}
