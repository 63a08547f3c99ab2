import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { auditPersonalRead, tenantOf } from "../../http/tenant-context.ts";
import { publicUrl } from "../../shared/config.ts";
import { AppError } from "../../shared/errors.ts";
import { creditorOf } from "../tenants/tenant.ts";
import { customerMessageData } from "./customer-data.ts";
import {
  getTemplate,
  listTemplates,
  previewTemplate,
  saveTemplate,
  sendTestMessage,
  type TemplatePreview,
} from "./template.service.ts";
import type { TSaveTemplate } from "./template.ts";

const ZKeyParams = z.object({ key: z.string().min(1).max(70) });

/** A template's text as the editor sends it; the name comes from the path (or `name` for a preview). */
const ZTemplateText = z.object({
  subject: z.string().nullable().optional(),
  body: z.string(),
  whatsappTemplate: z.string().nullable().optional(),
  whatsappLanguage: z.string().nullable().optional(),
  whatsappParameters: z.array(z.string()).optional(),
});

const ZPreviewBody = ZTemplateText.partial({ body: true }).extend({
  name: z.string().min(1).max(70),
  /** render with this customer's open invoices of today instead of the sample data */
  customerId: z.uuid().optional(),
});

const ZTestSendBody = ZTemplateText.partial({ body: true }).extend({ customerId: z.uuid().optional() });

const ZTemplate = z.object({
  name: z.string(),
  channel: z.enum(["email", "sms", "whatsapp", "letter", "task"]),
  subject: z.string().nullable(),
  body: z.string(),
  whatsappTemplate: z.string().nullable(),
  whatsappLanguage: z.string().nullable(),
  whatsappParameters: z.array(z.string()),
  custom: z.boolean(),
  updatedAt: z.date().nullable(),
});

const ZPreview = z.object({
  template: ZTemplate,
  rendered: z.object({
    channel: z.string(),
    subject: z.string().nullable(),
    text: z.string(),
    parameters: z.array(z.string()),
  }),
  html: z.string().nullable(),
  sms: z
    .object({ segments: z.number(), units: z.number(), encoding: z.string(), maxSegments: z.number() })
    .nullable(),
  problems: z.array(z.string()),
});

function draftOf(name: string, text: z.output<typeof ZTemplateText>): TSaveTemplate {
  return {
    name,
    subject: text.subject ?? null,
    body: text.body,
    whatsappTemplate: text.whatsappTemplate ?? null,
    whatsappLanguage: text.whatsappLanguage ?? null,
    whatsappParameters: text.whatsappParameters ?? [],
  };
}

/**
 * Message templates: read, save (checked: known variables, the creditor block of CDC art. 42-A,
 * SMS parts), preview a draft with sample or a real customer's data, and send a test to oneself.
 */
export function registerTemplateRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/templates",
    tag: "Modelos",
    summary: "Modelos de mensagem do credor (próprios e padrão)",
    permission: "read",
    response: z.object({ data: z.array(ZTemplate) }),
    handler: async ({ tenantId }) => ({ data: await listTemplates(api.db, tenantId) }),
  });

  api.route({
    method: "GET",
    url: "/v1/templates/:key",
    tag: "Modelos",
    summary: "Um modelo pelo nome (ex.: email.d-5); o padrão quando o credor não tem o seu",
    permission: "read",
    params: ZKeyParams,
    response: ZTemplate,
    handler: async ({ tenantId, params }) => getTemplate(api.db, tenantId, params.key),
  });

  api.route({
    method: "PUT",
    url: "/v1/templates/:key",
    tag: "Modelos",
    summary: "Grava a versão do credor de um modelo, depois de conferi-lo",
    description:
      "Recusado (400, nada gravado) com variável desconhecida, erro de sintaxe, sem o bloco do credor (nome, CNPJ e endereço — CDC art. 42-A) ou SMS acima do limite de partes; `field` diz o campo.",
    permission: "policies",
    params: ZKeyParams,
    body: ZTemplateText,
    response: ZTemplate,
    handler: async ({ tenantId, params, body, request }) => {
      const { tenant } = await tenantOf(api, tenantId);
      request.auditResource = { type: "template", id: params.key };
      return saveTemplate(api.db, tenant, draftOf(params.key, body), api.context.clock);
    },
  });

  const preview = async (
    input: { tenantId: string; principal: Parameters<typeof auditPersonalRead>[1]["principal"] },
    name: string,
    body: z.output<typeof ZPreviewBody> | z.output<typeof ZTestSendBody>,
    auditInput: Parameters<typeof auditPersonalRead>[1],
  ): Promise<TemplatePreview> => {
    const { tenant, today } = await tenantOf(api, input.tenantId);
    const source = body.body === undefined ? name : draftOf(name, { ...body, body: body.body });
    const data = body.customerId
      ? await customerMessageData(api.db, tenant, creditorOf(tenant), body.customerId, today, publicUrl())
      : undefined;
    if (body.customerId) await auditPersonalRead(api, auditInput, "template.preview", body.customerId);
    return previewTemplate(api.db, tenant, source, data);
  };

  api.route({
    method: "POST",
    url: "/v1/templates/preview",
    tag: "Modelos",
    summary: "Mostra um modelo (gravado ou rascunho) montado com dados de exemplo ou de um cliente",
    description:
      "Sem `body`, o modelo gravado (ou o padrão) de `name`; com `customerId`, as faturas em aberto do cliente com os valores de hoje. `problems` lista o que impediria gravar.",
    permission: "write",
    body: ZPreviewBody,
    response: ZPreview,
    handler: async (input) => preview(input, input.body.name, input.body, input),
  });

  api.route({
    method: "POST",
    url: "/v1/templates/:key/test-send",
    tag: "Modelos",
    summary: "Envia o modelo montado para o e-mail do próprio operador (nunca a um devedor)",
    description:
      "Só com sessão de operador. Sem `body`, o modelo gravado; com `body`, o rascunho. Vai pelo canal de e-mail do credor (seu SMTP, o SMTP_URL do processo ou a captura).",
    permission: "write",
    params: ZKeyParams,
    body: ZTestSendBody,
    response: z.object({ sentTo: z.string(), provider: z.string(), subject: z.string() }),
    handler: async (input) => {
      const { principal, tenantId, params } = input;
      if (principal.kind !== "operator") {
        throw new AppError(
          "forbidden",
          "O envio de teste vai para o e-mail do operador: entre com uma sessão de operador",
        );
      }
      const rendered = await preview(input, params.key, input.body, input);
      const operator = await api.db
        .selectFrom("operators")
        .select("email")
        .where("tenant_id", "=", tenantId)
        .where("id", "=", principal.actorId)
        .executeTakeFirstOrThrow();
      return sendTestMessage(api.db, tenantId, rendered, operator.email);
    },
  });
}
