import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { ZDate } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { listRuns, runTenantDay } from "./daily-run.service.ts";
import { ZRunsQuery } from "./daily-run.ts";

const ZDailyRun = z.object({
  date: z.string(),
  status: z.enum(["running", "done", "failed"]),
  attempts: z.number().int(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  error: z.string().nullable(),
  summary: z
    .object({
      plannedDays: z.array(z.string()),
      actions: z.number().int(),
      agreementMoves: z.number().int(),
      standingChanges: z.number().int(),
      overdue: z.number().int(),
    })
    .nullable(),
});

/** The daily runs: the list with each day's status and failure, and a day run by hand. */
export function registerDailyRunRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/runs",
    tag: "Réguas",
    summary: "Execuções diárias da régua do credor: situação, tentativas e o motivo da falha",
    description:
      "Uma linha por dia executado, do mais recente ao mais antigo. `status`: running (em andamento), done (todos os passos gravados) ou failed (a última tentativa falhou: `error` diz por quê; a execução é repetida). Filtros `status` e `limit` (padrão 30).",
    permission: "read",
    query: ZRunsQuery,
    response: z.object({ data: z.array(ZDailyRun) }),
    handler: async ({ tenantId, query }) => ({ data: await listRuns(api.db, tenantId, query) }),
  });

  api.route({
    method: "POST",
    url: "/v1/runs",
    tag: "Réguas",
    summary: "Executa um dia da régua à mão (acordos, ações, vencidas e situação dos clientes); só admin",
    description:
      "Um dia passado planeja e recupera as janelas perdidas a partir de agora, mas a situação dos clientes é aplicada para hoje: nunca volta atrás. A execução aparece em GET /v1/runs.",
    permission: "runs",
    body: z.strictObject({ date: ZDate }),
    handler: async ({ tenantId, body }) => {
      const { tenant } = await tenantOf(api, tenantId);
      return runTenantDay(api.db, tenant, body.date, api.context.clock.now());
    },
  });
}
