import type { FastifyError, FastifyInstance } from "fastify";
import { isDatabaseUnavailable } from "../db/connection-errors.ts";
import { inputErrorOf } from "../db/database-errors.ts";
import { faults } from "../i18n/pt-BR/faults.ts";
import { errorField, log } from "../observability/log.ts";
import { AppError, httpStatusOf } from "../shared/errors.ts";
import { humanFieldMessage } from "../shared/field-messages.ts";

/** Seconds a client is asked to wait while the database is out of reach (a restart takes a few). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Fastify's own client errors, said in pt-BR. */
const CLIENT_ERROR_MESSAGES: Record<number, string> = {
  400: "Pedido malformado; confira o corpo e os cabeçalhos",
  413: "Corpo grande demais: o limite é 1 MB para JSON e 50 MB para CSV",
  415: "Tipo de conteúdo não suportado: envie Content-Type: application/json (ou text/csv nas importações)",
};

/**
 * The one place an error's message meets its reader: a field's internal path (`steps.6.window`)
 * becomes its pt-BR label; `field` keeps the path for programs.
 */
function errorBody(code: string, message: string, field: string | undefined) {
  return { code, message: field ? humanFieldMessage(field, message) : message, field: field ?? null };
}

/**
 * Every error leaves as `{"error":{"code","message","field"}}`. AppErrors carry their own code;
 * Fastify's own client errors (bad JSON, body too large) keep their status; a database out of reach
 * is a 503 `database_unavailable` with Retry-After (nothing is wrong with the request: send it
 * again); anything else is a bug: a 500 whose message reveals nothing and whose detail goes to the
 * log with the request id.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      return reply
        .status(httpStatusOf(error.code))
        .send({ error: errorBody(error.code, error.message, error.field) });
    }
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.status(status).send({
        error: {
          code: status === 429 ? "rate_limited" : "validation_failed",
          message: CLIENT_ERROR_MESSAGES[status] ?? error.message,
          field: null,
        },
      });
    }
    if (isDatabaseUnavailable(error)) {
      log.warn({ reqId: request.id, err: errorField(error) }, "database unreachable");
      return reply
        .status(httpStatusOf("database_unavailable"))
        .header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS))
        .send({
          error: {
            code: "database_unavailable",
            message: faults.databaseUnavailable(DATABASE_RETRY_AFTER_SECONDS),
            field: null,
          },
        });
    }
    const input = inputErrorOf(error);
    if (input) {
      return reply
        .status(httpStatusOf(input.code))
        .send({ error: errorBody(input.code, input.message, input.field) });
    }
    log.error(
      { reqId: request.id, tenant: request.principal?.tenantId, err: errorField(error) },
      "unhandled error",
    );
    return reply
      .status(500)
      .send({ error: { code: "internal", message: `Erro interno (pedido ${request.id})`, field: null } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: { code: "not_found", message: `Rota ${request.method} ${request.url} não existe`, field: null },
    }),
  );
}
