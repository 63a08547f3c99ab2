import type { DatabaseHandle } from "../../src/db/connect.ts";
import { generateCpf } from "../../src/domain/documents.ts";
import { createTenant } from "../../src/modules/onboarding/onboarding.service.ts";
import { ensureDefaultPolicy } from "../../src/modules/policies/policy.service.ts";

let tenantCounter = 0;
let seed = 42;

/** A deterministic random source for documents (CPF check digits are computed, not random). */
export function seededRandom(): number {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
}

export function cpf(): string {
  return generateCpf(seededRandom);
}

/** A creditor with bank and Pix settings (so invoices get a boleto and a Pix code) and the default régua. */
export async function apiTenant(handle: DatabaseHandle) {
  tenantCounter += 1;
  const tenant = await createTenant(handle.db, {
    slug: `api-${process.pid}-${tenantCounter}`,
    legalName: "Provedor Fibra Rápida Ltda",
    document: "11.222.333/0001-81",
    address: "Rua das Flores, 100, Centro, Campinas/SP, 13010-000",
    boletoBankCode: "237",
    boletoAgency: "1234",
    boletoAccount: "1234567",
    pixKey: "financeiro@fibrarapida.com.br",
    pixMerchantCity: "CAMPINAS",
  });
  await ensureDefaultPolicy(handle.db, tenant.id);
  return tenant;
}
