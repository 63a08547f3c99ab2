import { todayIn } from "../domain/dates.ts";
import { recordAudit } from "../modules/audit/audit.service.ts";
import { getTenant } from "../modules/tenants/tenant.service.ts";
import type { Tenant } from "../modules/tenants/tenant.ts";
import type { Api, AuthedInput } from "./api.ts";

/**
 * Tenants are read on every request and change rarely: each process keeps one for TENANT_CACHE_MS,
 * so a settings change (a new Pix key) reaches the API within that time.
 */
export const TENANT_CACHE_MS = 5_000;
const tenantCache = new Map<string, { tenant: Tenant; until: number }>();

/** The caller's tenant and its calendar day (business rules run in the tenant's time zone). */
export async function tenantOf(api: Api, tenantId: string): Promise<{ tenant: Tenant; today: string }> {
  const now = performance.now();
  let tenant = tenantCache.get(tenantId);
  if (!tenant || tenant.until <= now) {
    if (tenantCache.size > 10_000) tenantCache.clear();
    tenant = { tenant: await getTenant(api.db, tenantId), until: now + TENANT_CACHE_MS };
    tenantCache.set(tenantId, tenant);
  }
  return { tenant: tenant.tenant, today: todayIn(tenant.tenant.timeZone, api.context.clock.now()) };
}

/** Records that an operator read a person's data (LGPD art. 37); API keys are the creditor's own systems. */
export async function auditPersonalRead(
  api: Api,
  input: AuthedInput<unknown, unknown, unknown>,
  action: string,
  customerId: string,
  always = false,
): Promise<void> {
  if (input.principal.kind !== "operator" && !always) return;
  await recordAudit(api.db, {
    tenantId: input.tenantId,
    actorKind: input.principal.kind,
    actorId: input.principal.actorId,
    action,
    resourceType: "customer",
    resourceId: customerId,
    requestId: input.request.id,
    statusCode: 200,
  });
}
