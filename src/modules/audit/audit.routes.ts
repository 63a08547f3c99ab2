import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { decodeCursor, pageOf, ZPageQuery } from "../../http/pagination.ts";
import { listAudit } from "./audit.service.ts";

const ZAuditOut = z.object({
  id: z.number(),
  at: z.string(),
  actorKind: z.enum(["api_key", "operator", "system"]),
  actorId: z.string().nullable(),
  action: z.string(),
  resourceType: z.string().nullable(),
  resourceId: z.string().nullable(),
  requestId: z.string().nullable(),
  statusCode: z.number().nullable(),
});

export function registerAuditRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/audit-log",
    tag: "Auditoria",
    summary: "Registro de escritas e de leituras de dados pessoais, do mais recente ao mais antigo",
    permission: "admin",
    query: ZPageQuery.extend({ resourceId: z.string().max(100).optional() }),
    response: z.object({ data: z.array(ZAuditOut), next_cursor: z.string().nullable() }),
    handler: async ({ tenantId, query }) => {
      const beforeId = query.cursor ? Number(decodeCursor(query.cursor, ["number"])[0]) : undefined;
      const rows = await listAudit(api.db, tenantId, {
        limit: query.limit + 1,
        ...(beforeId !== undefined ? { beforeId } : {}),
        ...(query.resourceId ? { resourceId: query.resourceId } : {}),
      });
      return pageOf(
        rows,
        query.limit,
        (row) => row,
        (row) => [row.id],
      );
    },
  });
}
