import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { dashboardApp } from "../i18n/pt-BR/dashboard-app.ts";
import { faults } from "../i18n/pt-BR/faults.ts";
import type { OutboxEvent } from "../modules/audit/audit.repository.ts";
import { recordAudit } from "../modules/audit/audit.service.ts";
import { AppError } from "../shared/errors.ts";
import type { AppContext } from "./app.ts";
import { CSRF_HEADER, resolvePrincipal } from "./auth.ts";
import { claimKey, completeKey, IDEMPOTENCY_HEADER, requestHash, validateKey } from "./idempotency.ts";
import { isAllowed, type Permission, type Principal } from "./permissions.ts";
import type { RequestRateLimiter } from "./rate-limit.ts";
import { type ReplicaLag, replicaLagOf } from "./replica-lag.ts";
import { nulError, parseInput } from "./validation.ts";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
    rawBody: string | undefined;
    idempotency: { tenantId: string; key: string } | null;
    /** Set by a route when its write concerns one resource, for the audit log. */
    auditResource: { type: string; id: string } | null;
    /** Domain events a route raised; written with the request's audit entry (see queueEvent). */
    outbox: OutboxEvent[] | null;
  }
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<P, Q, B> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface AuthedInput<P, Q, B> extends RouteInput<P, Q, B> {
  principal: Principal;
  tenantId: string;
}

interface RouteBase<P, Q, B> {
  method: Method;
  /** Fastify syntax: `/v1/invoices/:id`. */
  url: string;
  summary: string;
  description?: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Declared for the OpenAPI document; not used to filter the output. */
  response?: z.ZodType;
  /** Success status; 200 unless said otherwise. */
  status?: number;
  /** Non-JSON success body (an image, a script), for the OpenAPI document. */
  produces?: string;
  /** Accepted request media type when not JSON (CSV uploads). */
  consumes?: string;
}

export interface PublicRoute<P, Q, B> extends RouteBase<P, Q, B> {
  permission: "public";
  handler: (input: RouteInput<P, Q, B>) => Promise<unknown>;
}

export interface ProtectedRoute<P, Q, B> extends RouteBase<P, Q, B> {
  permission: Permission;
  handler: (input: AuthedInput<P, Q, B>) => Promise<unknown>;
}

export interface RegisteredRoute {
  method: Method;
  url: string;
  summary: string;
  description: string | undefined;
  tag: string;
  permission: Permission | "public";
  params: z.ZodType | undefined;
  query: z.ZodType | undefined;
  body: z.ZodType | undefined;
  response: z.ZodType | undefined;
  status: number;
  produces: string | undefined;
  consumes: string | undefined;
}

/**
 * Declares the API's routes. Each route names its input schemas (zod), its permission and its
 * handler; the same declaration registers the Fastify route and feeds `/openapi.json`, so the
 * document cannot drift from the routes. The order of checks is fixed here, once: authenticate →
 * rate limit → permission → CSRF (cookie writes) → path → Idempotency-Key (POST) → query → body.
 */
export class Api {
  readonly app: FastifyInstance;
  readonly context: AppContext;
  readonly routes: RegisteredRoute[] = [];
  private readonly limiter: RequestRateLimiter;

  constructor(app: FastifyInstance, context: AppContext, limiter: RequestRateLimiter) {
    this.app = app;
    this.context = context;
    this.limiter = limiter;
  }

  /** The primary: every write, and every read that must see the request's own write. */
  get db() {
    return this.context.handle.db;
  }

  /**
   * Reads that may show data a few seconds old (panel, lists, work queue, reports, exports, the
   * portal's home): the read replica when DATABASE_REPLICA_URL is set, else the primary. Never for
   * a page read right after an action, idempotency, sessions, rate limits or CSRF.
   */
  get readDb() {
    return this.context.handle.reads.db;
  }

  /** How far behind `readDb` is, for the responses that show it ("dados de há 3 s"); see replica-lag.ts. */
  replicaLag(): Promise<ReplicaLag> {
    return replicaLagOf(this.context.handle.reads);
  }

  route<
    P extends Schema | undefined = undefined,
    Q extends Schema | undefined = undefined,
    B extends Schema | undefined = undefined,
  >(spec: PublicRoute<P, Q, B> | ProtectedRoute<P, Q, B>): void {
    const status = spec.status ?? 200;
    this.routes.push({
      method: spec.method,
      url: spec.url,
      summary: spec.summary,
      description: spec.description,
      tag: spec.tag,
      permission: spec.permission,
      params: spec.params,
      query: spec.query,
      body: spec.body,
      response: spec.response,
      status,
      produces: spec.produces,
      consumes: spec.consumes,
    });
    this.app.route({
      method: spec.method,
      url: spec.url,
      handler: async (request, reply) => {
        if (/%00/.test(request.url)) throw nulError();
        let principal: Principal | null = null;
        if (spec.permission !== "public") {
          principal = await resolvePrincipal(this.context, request);
          request.principal = principal;
          await this.throttle(principal, reply);
          if (!isAllowed(principal, spec.permission)) {
            throw new AppError(
              "forbidden",
              principal.kind === "operator"
                ? faults.forbidden.operator(dashboardApp.roles[principal.role] ?? principal.role)
                : faults.forbidden.apiKey,
            );
          }
          if (principal.kind === "operator" && spec.method !== "GET") {
            const sent = request.headers[CSRF_HEADER];
            if (sent !== principal.csrfToken) {
              throw new AppError(
                "forbidden",
                "Token CSRF ausente ou inválido: envie o csrfToken da sessão no cabeçalho X-CSRF-Token",
              );
            }
          }
        }
        const params = spec.params ? parsePath(spec.params, request.params) : undefined;
        if (principal && spec.method === "POST") {
          const replayed = await this.idempotent(principal, request, reply);
          if (replayed) return reply;
        }
        const query = spec.query ? parseInput(spec.query, request.query ?? {}) : undefined;
        const body = spec.body ? parseInput(spec.body, request.body ?? {}) : undefined;
        const input = { params, query, body, request, reply } as RouteInput<P, Q, B>;
        // the declared status, unless the handler sets another (a replayed payment answers 200)
        reply.status(status);
        const result = principal
          ? await (spec as ProtectedRoute<P, Q, B>).handler({
              ...input,
              principal,
              tenantId: principal.tenantId,
            })
          : await (spec as PublicRoute<P, Q, B>).handler(input);
        if (reply.sent) return reply;
        if (result === undefined) return reply.status(204).send();
        return reply.send(result);
      },
    });
  }

  private async throttle(principal: Principal, reply: FastifyReply): Promise<void> {
    const decision = await this.limiter.take(principal);
    reply.header("ratelimit-limit", this.limiter.limit);
    reply.header("ratelimit-remaining", decision.remaining);
    if (!decision.allowed) {
      reply.header("retry-after", decision.retryAfter);
      throw new AppError(
        "rate_limited",
        `Limite de pedidos excedido para esta chave; tente de novo em ${decision.retryAfter} s`,
      );
    }
  }

  /** Claims the Idempotency-Key or replays the stored response; true when replayed. */
  private async idempotent(
    principal: Principal,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<boolean> {
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (header === undefined) return false;
    const key = Array.isArray(header) ? (header[0] ?? "") : header;
    validateKey(key);
    const outcome = await claimKey(
      this.db,
      principal.tenantId,
      key,
      requestHash(request.method, request.url, request.rawBody),
      this.context.clock.now(),
    );
    if (outcome.kind === "replay") {
      reply.header("idempotent-replayed", "true");
      reply.status(outcome.statusCode).type("application/json").send(outcome.body);
      return true;
    }
    request.idempotency = { tenantId: principal.tenantId, key };
    return false;
  }
}

/** A path that does not parse (a malformed id) names nothing that exists: 404, as for another tenant's id. */
function parsePath<S extends z.ZodType>(schema: S, params: unknown): z.output<S> {
  const result = schema.safeParse(params);
  if (!result.success) throw new AppError("not_found", "Recurso não encontrado: identificador inválido");
  return result.data;
}

/**
 * After every response: stores it for its Idempotency-Key, and writes the audit entry of a write.
 * Both happen before the response leaves, so that a client that saw the answer finds the record.
 */
export function installApiHooks(app: FastifyInstance, context: AppContext): void {
  app.decorateRequest("principal", null);
  app.decorateRequest("rawBody", undefined);
  app.decorateRequest("idempotency", null);
  app.decorateRequest("auditResource", null);
  app.decorateRequest("outbox", null);
  app.addHook("onSend", async (request, reply, payload) => {
    const statusCode = reply.statusCode;
    if (request.idempotency) {
      const { tenantId, key } = request.idempotency;
      request.idempotency = null;
      await completeKey(
        context.handle.db,
        tenantId,
        key,
        statusCode,
        String(payload ?? ""),
        context.clock.now(),
      );
    }
    const principal = request.principal;
    if (
      principal &&
      request.method !== "GET" &&
      statusCode < 400 &&
      !reply.getHeader("idempotent-replayed")
    ) {
      const events = request.outbox ?? [];
      request.outbox = null;
      await recordAudit(
        context.handle.db,
        {
          tenantId: principal.tenantId,
          actorKind: principal.kind,
          actorId: principal.actorId,
          action: `${request.method} ${request.routeOptions.url ?? request.url}`,
          resourceType: request.auditResource?.type ?? null,
          resourceId: request.auditResource?.id ?? resourceIdOf(request.params),
          requestId: request.id,
          statusCode,
        },
        events,
      );
    }
    return payload;
  });
}

/**
 * Raises a domain event from a route: it goes to the outbox (and from there to webhooks) together
 * with the request's audit entry, once the write succeeded, before the response leaves.
 */
export function queueEvent(request: FastifyRequest, event: OutboxEvent): void {
  request.outbox ??= [];
  request.outbox.push(event);
}

function resourceIdOf(params: unknown): string | null {
  if (params && typeof params === "object" && "id" in params && typeof params.id === "string")
    return params.id;
  return null;
}
