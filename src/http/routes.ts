import { registerAuditRoutes } from "../modules/audit/audit.routes.ts";
import { registerContractRoutes } from "../modules/contracts/contract.routes.ts";
import { registerCustomerRoutes } from "../modules/customers/customer.routes.ts";
import { registerImportRoutes } from "../modules/imports/import.routes.ts";
import { registerInvoiceRoutes } from "../modules/invoices/invoice.routes.ts";
import { registerMessageRoutes } from "../modules/messages/message.routes.ts";
import { registerOperatorRoutes } from "../modules/operators/operator.routes.ts";
import { registerPaymentRoutes } from "../modules/payments/payment.routes.ts";
import { registerPolicyRoutes } from "../modules/policies/policy.routes.ts";
import { registerStandingRoutes } from "../modules/standing/standing.routes.ts";
import { registerApiKeyRoutes } from "../modules/tenants/api-key.routes.ts";
import { registerWebhookRoutes } from "../modules/webhooks/webhook.routes.ts";
import type { Api } from "./api.ts";

/** Every route module, registered in one place (one line per resource file). */
export function registerV1Routes(api: Api): void {
  registerOperatorRoutes(api);
  registerApiKeyRoutes(api);
  registerAuditRoutes(api);
  registerCustomerRoutes(api);
  registerContractRoutes(api);
  registerInvoiceRoutes(api);
  registerPaymentRoutes(api);
  registerImportRoutes(api);
  registerStandingRoutes(api);
  registerPolicyRoutes(api);
  registerWebhookRoutes(api);
  registerMessageRoutes(api);
}
