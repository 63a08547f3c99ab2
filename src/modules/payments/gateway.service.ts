import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "../../db/database.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError } from "../../shared/errors.ts";
import { openSecret, sealSecret } from "../../shared/secret-box.ts";
import { findTenantBySlug } from "../tenants/tenant.repository.ts";
import { tenantFromRow } from "../tenants/tenant.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { type PaymentReport, settlePayment } from "./payment.service.ts";
import { PAYMENT_METHODS } from "./payment.ts";

/**
 * Payment gateways notify payments to `POST /v1/payments/notifications/{provider}?tenant=<slug>`,
 * signed with `X-Signature: sha256=<hex HMAC-SHA256 of the raw body>` under the secret Régua gave
 * for that provider. Notifications are idempotent by the gateway's payment id (recorded as
 * `<provider>:<id>`); one naming an unknown invoice is kept unmatched for reconciliation.
 */
export const GATEWAY_SIGNATURE_HEADER = "x-signature";

export const ZProvider = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, {
  error: "provedor: de 1 a 40 letras minúsculas, dígitos e hífens (ex.: pagbank)",
});

export const ZGatewayNotification = z.object({
  id: z.string().trim().min(1).max(150),
  /** The creditor's invoice reference (its external id, or the Pix txid it chose). */
  invoiceExternalId: z.string().trim().min(1).max(200),
  amountCents: z.number().int().positive(),
  paidAt: z.iso.datetime({ offset: true }),
  method: z.enum(PAYMENT_METHODS).default("pix"),
});

export async function configureGateway(db: Kysely<Database>, tenantId: string, provider: string) {
  const secret = `gwsec_${randomBytes(32).toString("base64url")}`;
  await db
    .insertInto("payment_gateways")
    .values({ tenant_id: tenantId, provider, secret: sealSecret(secret) })
    .onConflict((conflict) =>
      conflict.columns(["tenant_id", "provider"]).doUpdateSet({ secret: (eb) => eb.ref("excluded.secret") }),
    )
    .execute();
  return { provider, secret };
}

export function gatewaySignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}

/** The tenant whose gateway signed this raw body, or a 404 (unknown tenant or provider) / 401 (bad signature). */
export async function verifyGatewayRequest(
  db: Kysely<Database>,
  input: { tenantSlug: string; provider: string; signature: string | undefined; rawBody: string },
): Promise<Tenant> {
  const tenantRow = await findTenantBySlug(db, input.tenantSlug);
  const gateway = tenantRow
    ? await db
        .selectFrom("payment_gateways")
        .select("secret")
        .where("tenant_id", "=", tenantRow.id)
        .where("provider", "=", input.provider)
        .executeTakeFirst()
    : undefined;
  if (!tenantRow || !gateway)
    throw new AppError("not_found", "Provedor de pagamento não configurado para este credor");
  const expected = Buffer.from(gatewaySignature(openSecret(gateway.secret), input.rawBody));
  const given = Buffer.from(input.signature ?? "");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new AppError(
      "unauthorized",
      "Assinatura inválida: X-Signature deve ser sha256=<HMAC-SHA256 do corpo>",
    );
  }
  return tenantFromRow(tenantRow);
}

export function recordGatewayPayment(
  db: Kysely<Database>,
  tenant: Tenant,
  provider: string,
  notification: z.output<typeof ZGatewayNotification>,
  clock: Clock,
): Promise<PaymentReport> {
  return settlePayment(
    db,
    tenant,
    {
      source: "gateway",
      idempotencyKey: `${provider}:${notification.id}`,
      invoiceExternalId: notification.invoiceExternalId,
      amountCents: notification.amountCents,
      method: notification.method,
      paidAt: new Date(notification.paidAt),
    },
    clock.now(),
  );
}
