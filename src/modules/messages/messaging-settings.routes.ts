import type { Api } from "../../http/api.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { getMessagingSettings, updateMessagingSettings } from "./messaging-settings.service.ts";
import { ZUpdateMessagingSettings } from "./messaging-settings.ts";

/** The tenant's providers and their credentials (write-only: shown as "••••" + last 4). */
export function registerMessagingSettingsRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/settings/messaging",
    tag: "Mensagens",
    summary: "Provedores de e-mail, SMS e WhatsApp do credor (credenciais mascaradas)",
    permission: "admin",
    handler: async ({ tenantId }) => getMessagingSettings(api.db, (await tenantOf(api, tenantId)).tenant),
  });

  api.route({
    method: "PATCH",
    url: "/v1/settings/messaging",
    tag: "Mensagens",
    summary: "Altera os provedores; campos omitidos ficam como estão, null apaga",
    description:
      "Credenciais (smtpUrl, smsToken, smsCallbackToken, whatsappToken, whatsappAppSecret, whatsappVerifyToken) " +
      "são guardadas cifradas (AES-256-GCM) e nunca voltam inteiras: as respostas mostram •••• e os 4 últimos caracteres.",
    permission: "admin",
    body: ZUpdateMessagingSettings,
    handler: async ({ tenantId, body }) =>
      updateMessagingSettings(api.db, (await tenantOf(api, tenantId)).tenant, body),
  });
}
