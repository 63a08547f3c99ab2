import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Registry } from "prom-client";
import type { AppContext } from "../http/app.ts";
import { faults } from "../i18n/pt-BR/faults.ts";
import { httpRequestDuration, metricsRegistry } from "./metrics.ts";
import { scrapeRegistry } from "./scrape-metrics.ts";

/**
 * `GET /metrics` for Prometheus. It names tenants and shows volumes, so it is not public: with
 * REGUA_METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>`; without it, only
 * this machine may scrape (the connection's own address, never X-Forwarded-For).
 */
export function registerMetricsRoutes(app: FastifyInstance, context: AppContext): void {
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    if (route === "/metrics") return;
    httpRequestDuration.observe(
      { method: request.method, route, status: `${Math.floor(reply.statusCode / 100)}xx` },
      reply.elapsedTime / 1000,
    );
  });

  app.get("/metrics", async (request, reply) => {
    if (!mayScrape(request)) {
      return reply.status(403).send({
        error: { code: "forbidden", message: faults.metrics.forbidden, field: null },
      });
    }
    const scraped = await scrapeRegistry(context.handle, context.clock.now());
    const merged = Registry.merge([metricsRegistry, scraped]);
    return reply.header("content-type", merged.contentType).send(await merged.metrics());
  });
}

function mayScrape(request: FastifyRequest): boolean {
  const token = process.env.REGUA_METRICS_TOKEN;
  if (token) {
    const sent = Buffer.from(request.headers.authorization ?? "");
    const expected = Buffer.from(`Bearer ${token}`);
    return sent.length === expected.length && timingSafeEqual(sent, expected);
  }
  const address = request.socket.remoteAddress ?? "";
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}
