import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { clearSessionCookie, setSessionCookie } from "../../http/auth.ts";
import { AppError } from "../../shared/errors.ts";
import { createOperator, listOperators, login, logout } from "./operator.service.ts";
import { ZCreateOperator, ZLogin, ZRole } from "./operator.ts";

const ZOperatorOut = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: ZRole,
  disabledAt: z.string().nullable(),
  createdAt: z.string(),
});

const ZSessionOut = z.object({
  operator: ZOperatorOut,
  csrfToken: z.string().describe("Envie no cabeçalho X-CSRF-Token em toda escrita feita com a sessão"),
  expiresAt: z.string(),
});

/** The dashboard's sign-in (`/v1/session`) and the tenant's operators. */
export function registerOperatorRoutes(api: Api): void {
  api.route({
    method: "POST",
    url: "/v1/session",
    tag: "Sessão",
    summary: "Entrar no painel (cria a sessão em cookie HTTP-only)",
    permission: "public",
    body: ZLogin,
    response: ZSessionOut,
    status: 201,
    handler: async ({ body, request, reply }) => {
      const now = api.context.clock.now();
      const session = await login(api.db, body, now, { ip: request.ip });
      setSessionCookie(reply, session.token, (session.expiresAt.getTime() - now.getTime()) / 1000);
      return { operator: session.operator, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },
  });

  api.route({
    method: "GET",
    url: "/v1/session",
    tag: "Sessão",
    summary: "A sessão atual e seu token CSRF",
    permission: "read",
    response: ZSessionOut.omit({ expiresAt: true }),
    handler: async ({ principal, tenantId }) => {
      if (principal.kind !== "operator")
        throw new AppError("forbidden", "Esta rota é do painel: entre com e-mail e senha");
      const operator = (await listOperators(api.db, tenantId)).find(
        (candidate) => candidate.id === principal.actorId,
      );
      return { operator, csrfToken: principal.csrfToken };
    },
  });

  api.route({
    method: "DELETE",
    url: "/v1/session",
    tag: "Sessão",
    summary: "Sair (encerra a sessão)",
    permission: "read",
    status: 204,
    handler: async ({ principal, reply }) => {
      if (principal.kind !== "operator")
        throw new AppError("forbidden", "Esta rota é do painel: entre com e-mail e senha");
      await logout(api.db, principal.tenantId, principal.sessionId, api.context.clock.now());
      clearSessionCookie(reply);
      return undefined;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/operators",
    tag: "Operadores",
    summary: "Operadores do credor",
    permission: "admin",
    response: z.object({ data: z.array(ZOperatorOut) }),
    handler: async ({ tenantId }) => ({ data: await listOperators(api.db, tenantId) }),
  });

  api.route({
    method: "POST",
    url: "/v1/operators",
    tag: "Operadores",
    summary: "Cria um operador (admin, analyst ou viewer)",
    permission: "admin",
    body: ZCreateOperator,
    response: ZOperatorOut,
    status: 201,
    handler: async ({ tenantId, request, body }) => {
      const operator = await createOperator(api.db, tenantId, body);
      request.auditResource = { type: "operator", id: operator.id };
      return operator;
    },
  });
}
