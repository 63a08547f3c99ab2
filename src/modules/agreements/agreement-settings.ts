import type { Executor } from "../../db/database.ts";
import { inTransaction } from "../../db/transaction.ts";
import { dashboardApp } from "../../i18n/pt-BR/dashboard-app.ts";
import { faults } from "../../i18n/pt-BR/faults.ts";
import { AppError, validationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import { findPolicyByName } from "../policies/policy.repository.ts";
import { savePolicy } from "../policies/policy.service.ts";
import { findAgreementSettingsRow, upsertAgreementSettingsRow } from "./agreement.repository.ts";
import type {
  AgreementActor,
  AgreementSettings,
  ConcessionLimits,
  LimitRole,
  TUpdateAgreementSettings,
} from "./agreement.ts";
import { ZAgreementSettings, ZUpdateAgreementSettings } from "./agreement.ts";
import { AGREEMENT_POLICY, AGREEMENT_POLICY_NAME } from "./agreement-policy.ts";

/**
 * Defaults, chosen to be safe for a creditor who never opens the settings: the portal may only
 * split (up to 12 installments of at least R$ 50,00, no waivers, no discount beyond the
 * settlement-at-once offer); analysts (and API keys) may waive fine and interest and give 10% off
 * the principal; admins 30%. Settlement at once: 10% off the principal. No plan interest. An
 * installment breaks the agreement after 5 business days unpaid. Standing recovers while an
 * agreement is in force (the debtor is paying).
 */
export const DEFAULT_AGREEMENT_SETTINGS: AgreementSettings = {
  limits: {
    admin: {
      maxPrincipalDiscountBps: 3000,
      mayWaiveFine: true,
      mayWaiveInterest: true,
      maxInstallments: 48,
      minInstallmentCents: 20_00,
    },
    analyst: {
      maxPrincipalDiscountBps: 1000,
      mayWaiveFine: true,
      mayWaiveInterest: true,
      maxInstallments: 24,
      minInstallmentCents: 30_00,
    },
    portal: {
      maxPrincipalDiscountBps: 0,
      mayWaiveFine: false,
      mayWaiveInterest: false,
      maxInstallments: 12,
      minInstallmentCents: 50_00,
    },
  },
  settlementDiscountBps: 1000,
  defaultMonthlyInterestBps: 0,
  breakToleranceBusinessDays: 5,
  standingRecoversWhileActive: true,
  policyId: null,
};

/** The tenant's settings: the stored overrides over the defaults. */
export async function getAgreementSettings(db: Executor, tenantId: string): Promise<AgreementSettings> {
  const row = await findAgreementSettingsRow(db, tenantId);
  return merged(row?.settings ?? {}, row?.policy_id ?? null);
}

function merged(overrides: Record<string, unknown>, policyId: string | null): AgreementSettings {
  const limits = (overrides.limits ?? {}) as Partial<Record<LimitRole, Partial<ConcessionLimits>>>;
  return {
    ...DEFAULT_AGREEMENT_SETTINGS,
    ...overrides,
    limits: {
      admin: { ...DEFAULT_AGREEMENT_SETTINGS.limits.admin, ...limits.admin },
      analyst: { ...DEFAULT_AGREEMENT_SETTINGS.limits.analyst, ...limits.analyst },
      portal: { ...DEFAULT_AGREEMENT_SETTINGS.limits.portal, ...limits.portal },
    },
    policyId,
  } as AgreementSettings;
}

/**
 * Changes some settings (a partial document; per-role limits may be partial too); the result is
 * validated whole, so an error names the field (`limits.portal.maxInstallments`).
 */
export async function updateAgreementSettings(
  db: Executor,
  tenantId: string,
  input: TUpdateAgreementSettings,
): Promise<AgreementSettings> {
  const patch = parseInput(ZUpdateAgreementSettings, input);
  return inTransaction(db, async (trx) => {
    const row = await findAgreementSettingsRow(trx, tenantId);
    const current = (row?.settings ?? {}) as Record<string, unknown>;
    const currentLimits = (current.limits ?? {}) as Record<string, Record<string, unknown>>;
    const { policyId, limits, ...rest } = patch;
    const next: Record<string, unknown> = { ...current, ...rest };
    if (limits) {
      next.limits = Object.fromEntries(
        ["admin", "analyst", "portal"].map((role) => [
          role,
          { ...currentLimits[role], ...(limits as Record<string, object | undefined>)[role] },
        ]),
      );
    }
    const settings = parseInput(ZAgreementSettings, merged(next, policyId ?? row?.policy_id ?? null));
    if (policyId) {
      const policy = await trx
        .selectFrom("policies")
        .select("id")
        .where("tenant_id", "=", tenantId)
        .where("id", "=", policyId)
        .executeTakeFirst();
      if (!policy) throw validationError("policyId", `policyId: régua ${policyId} não encontrada`);
    }
    await upsertAgreementSettingsRow(trx, tenantId, next, settings.policyId);
    return settings;
  });
}

/** The limits an actor works within: API keys act like analysts; viewers may not make agreements. */
export function limitsOf(
  settings: AgreementSettings,
  actor: AgreementActor,
): ConcessionLimits & { role: LimitRole } {
  const role: LimitRole =
    actor.kind === "portal"
      ? "portal"
      : actor.kind === "api_key"
        ? "analyst"
        : actor.role === "admin"
          ? "admin"
          : "analyst";
  if (actor.kind === "operator" && actor.role === "viewer") {
    throw new AppError("forbidden", faults.forbidden.operator(dashboardApp.roles.viewer ?? "leitura"));
  }
  return { ...settings.limits[role], role };
}

/**
 * The policy of installment invoices, created on the tenant's first agreement (existing tenants
 * get it the same way; tenants with no agreements see no extra régua). A policy already named
 * "Régua de acordos" is adopted rather than duplicated.
 */
export async function ensureAgreementPolicy(db: Executor, tenantId: string): Promise<string> {
  const row = await findAgreementSettingsRow(db, tenantId);
  if (row?.policy_id) return row.policy_id;
  return inTransaction(db, async (trx) => {
    const existing = await findPolicyByName(trx, tenantId, AGREEMENT_POLICY_NAME);
    const policyId = existing?.id ?? (await savePolicy(trx, tenantId, AGREEMENT_POLICY)).id;
    await upsertAgreementSettingsRow(
      trx,
      tenantId,
      (row?.settings ?? {}) as Record<string, unknown>,
      policyId,
    );
    return policyId;
  });
}
