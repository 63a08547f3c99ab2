import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import type { DatabaseHandle } from "../db/connect.ts";
import { RateBuckets } from "../db/rate-buckets.ts";
import { registerMetricsRoutes } from "../observability/metrics.routes.ts";
import { installRequestLog } from "../observability/request-log.ts";
import type { Clock } from "../shared/clock.ts";
import { trustedProxies } from "../shared/config.ts";
import { AppError } from "../shared/errors.ts";
import { charsetFromLabel, charsetOfContentType, decodeText } from "../shared/text-encoding.ts";
import { Api, installApiHooks } from "./api.ts";
import { registerDocsRoutes } from "./docs.routes.ts";
import { installErrorHandler } from "./error-handler.ts";
import { registerHealthRoutes } from "./health.routes.ts";
import { type RateLimitOptions, RequestRateLimiter } from "./rate-limit.ts";
import { registerV1Routes } from "./routes.ts";
import { installSecurityHeaders } from "./security-headers.ts";
import { badTextError, hasNul, nulError } from "./validation.ts";
import { registerWebApp } from "./web-app.ts";

declare module "fastify" {
  interface FastifyInstance {
    registeredRoutes: { method: string; url: string }[];
  }
}

export interface AppContext {
  handle: DatabaseHandle;
  clock: Clock;
  /** Whose X-Forwarded-For to believe; REGUA_TRUST_PROXY when absent (see config.ts). */
  trustProxy?: boolean | string[];
  /** Per API key (or operator), shared by the processes on the database; see rate-limit.ts. */
  rateLimit?: RateLimitOptions;
}

export const API_VERSION = "1.0.0";
/** Bodies above this are refused with 413; CSV uploads get more room. */
const JSON_BODY_LIMIT = 1024 * 1024;
const CSV_BODY_LIMIT = 50 * 1024 * 1024;

/** The HTTP application: every route module registers itself here with the shared context. */
export async function buildApp(context: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    genReqId: () => crypto.randomUUID(),
    trustProxy: context.trustProxy ?? trustedProxies(),
    requestIdHeader: "x-request-id",
    bodyLimit: JSON_BODY_LIMIT,
    // errors raised before routing (a path segment too long, a bad URL) in the API's error format
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      return (reply as unknown as FastifyReply).status(status).send({
        error: {
          code: status === 414 || status === 404 ? "not_found" : "validation_failed",
          message:
            status === 414
              ? "Caminho longo demais: nenhum recurso tem esse identificador"
              : "Pedido malformado",
          field: null,
        },
      });
    },
  });
  // every route Fastify registers, as registered (tests compare it with /openapi.json)
  const registeredRoutes: { method: string; url: string }[] = [];
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat())
      registeredRoutes.push({ method: String(method), url: route.url });
  });
  app.decorate("registeredRoutes", registeredRoutes);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  installErrorHandler(app);
  installSecurityHeaders(app);
  installBodyParsers(app);
  installApiHooks(app, context);
  registerHealthRoutes(app, context);
  registerMetricsRoutes(app, context);
  installRequestLog(app);
  const api = new Api(
    app,
    context,
    new RequestRateLimiter(new RateBuckets(context.handle.db), context.rateLimit),
  );
  registerV1Routes(api);
  registerDocsRoutes(api, API_VERSION);
  registerWebApp(app);
  return app;
}

/**
 * JSON is parsed here rather than by Fastify's default parser so that the raw text is kept: the
 * Idempotency-Key hash and gateway HMAC signatures are computed over the bytes that were sent.
 */
function installBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = body as string;
    request.rawBody = text;
    if (text.trim() === "") return done(null, undefined);
    // a raw NUL byte is not JSON at all; an escaped one (\u0000) is named by its field below
    if (text.includes("\u0000")) return done(nulError(), undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      done(
        new AppError("validation_failed", "O corpo não é um JSON válido; confira aspas, vírgulas e chaves"),
        undefined,
      );
      return;
    }
    const badText = badTextError(parsed);
    if (badText) return done(badText, undefined);
    done(null, parsed);
  });
  app.removeContentTypeParser("text/plain");
  // text arrives as bytes and is decoded here in its declared (or detected) charset: a Latin-1
  // CSV from Brazilian Excel becomes "João", never "Jo�o" (src/shared/text-encoding.ts)
  app.addContentTypeParser(
    ["text/csv", "text/plain"],
    { parseAs: "buffer", bodyLimit: CSV_BODY_LIMIT },
    (request, body, done) => {
      try {
        const label = charsetOfContentType(request.headers["content-type"]);
        const charset = label === undefined ? undefined : charsetFromLabel(label, "charset");
        const text = decodeText(body as Buffer, charset, "body");
        request.rawBody = text;
        if (hasNul(text)) return done(nulError(), undefined);
        done(null, text);
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
}
