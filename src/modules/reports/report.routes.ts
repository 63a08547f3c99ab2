import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { ZReplicaLag } from "../../http/replica-lag.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { getPanel } from "../dashboard/panel.service.ts";
import { creditorOf } from "../tenants/tenant.ts";
import { panelPdf } from "./panel-pdf.ts";
import { REPORT_REFRESH_BUDGET_MS, runReport } from "./report.service.ts";
import { REPORT_NAMES, ZReportQuery } from "./report.ts";
import { reportCsv, reportFileName, reportXlsx } from "./report-export.ts";

const ZReportParams = z.object({
  name: z.enum(REPORT_NAMES, { error: `relatório: use ${REPORT_NAMES.join(", ")}` }),
});

const ZReportTable = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  columns: z.array(z.object({ key: z.string(), label: z.string(), type: z.string() })),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
  totals: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).nullable(),
  pendingCustomers: z
    .number()
    .int()
    .optional()
    .describe("recovery e summary: clientes com alterações ainda não somadas ao relatório (0: em dia)"),
  ...ZReplicaLag.shape,
});

/** Reports over the tenant's data: JSON for the dashboard, CSV and XLSX to download. */
export function registerReportRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/reports/:name",
    tag: "Relatórios",
    summary: "Um relatório: summary, detailed, oldest, recovery, message-costs ou agreement-breaks",
    description:
      "Período `from`/`to` (padrão: os últimos 12 meses até hoje), filtros `group` (id de um grupo de clientes) e `tag`; `days` é a janela de atribuição do relatório recovery (padrão 7) e `groupBy` os seus agrupamentos (segment, policy, step, channel, band, phase; padrão step,channel): mensagens, cliques, custo, valor devido, recuperado, taxa de recuperação, mediana de dias até pagar e custo ÷ recuperado, com a linha de total em `totals`. `format=csv` (separador ;, vírgula decimal, UTF-8 com BOM) ou `format=xlsx` baixam o arquivo. Veja docs/reports.md.",
    permission: "read",
    params: ZReportParams,
    query: ZReportQuery,
    response: ZReportTable,
    produces: "application/json, text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    handler: async ({ tenantId, params, query, reply }) => {
      const { tenant, today } = await tenantOf(api, tenantId);
      // on screen, a report does not wait for a long refresh (it says what is pending); a file does
      const refreshBudgetMs = query.format === "json" ? REPORT_REFRESH_BUDGET_MS : Number.POSITIVE_INFINITY;
      const table = await runReport(api.readDb, tenant, params.name, query, today, api.db, refreshBudgetMs);
      if (query.format === "json") return { ...table, ...(await api.replicaLag()) };
      const file = reportFileName(table, params.name, query.format);
      reply.header("content-disposition", `attachment; filename="${file}"`);
      if (query.format === "csv") return reply.type("text/csv; charset=utf-8").send(reportCsv(table));
      return reply
        .type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .send(await reportXlsx(table));
    },
  });

  api.route({
    method: "GET",
    url: "/v1/dashboard/panel.pdf",
    tag: "Relatórios",
    summary: "O painel de inadimplência em PDF para imprimir (os mesmos números do painel)",
    permission: "read",
    produces: "application/pdf",
    handler: async ({ tenantId, reply }) => {
      const { tenant, today } = await tenantOf(api, tenantId);
      const panel = await getPanel(api.db, tenant, today, api.readDb);
      const generatedAt = new Intl.DateTimeFormat("pt-BR", {
        dateStyle: "short",
        timeStyle: "short",
        timeZone: tenant.timeZone,
      }).format(api.context.clock.now());
      const pdf = await panelPdf(panel, creditorOf(tenant), generatedAt);
      reply.header("content-disposition", `attachment; filename="painel-${today}.pdf"`);
      return reply.type("application/pdf").send(pdf);
    },
  });
}
