import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { AppError, notFound, validationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import {
  findAllTenants,
  findTenantById,
  findTenantBySlug,
  insertTenant,
  updateTenant,
} from "./tenant.repository.ts";
import type { TenantRow, TenantUpdate } from "./tenant.table.ts";
import {
  type TCreateTenant,
  type Tenant,
  type TUpdateTenantSettings,
  ZCreateTenant,
  ZUpdateTenantSettings,
} from "./tenant.ts";

export function tenantFromRow(row: TenantRow): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    legalName: row.legal_name,
    document: row.document,
    address: row.address,
    timeZone: row.time_zone,
    defaultFineBps: row.default_fine_bps,
    defaultInterestMonthlyBps: row.default_interest_monthly_bps,
    extraHolidays: row.extra_holidays,
    isDemo: row.is_demo,
    boletoBankCode: row.boleto_bank_code,
    boletoAgency: row.boleto_agency,
    boletoAccount: row.boleto_account,
    boletoWallet: row.boleto_wallet,
    pixKey: row.pix_key,
    pixMerchantCity: row.pix_merchant_city,
    createdAt: row.created_at,
  };
}

/**
 * Validates and records a new creditor, in the caller's transaction. A creditor is created through
 * `createTenant` (src/modules/onboarding), which also gives it its default régua.
 */
export async function insertNewTenant(db: Executor, input: TCreateTenant): Promise<Tenant> {
  const data = parseInput(ZCreateTenant, input);
  if (await findTenantBySlug(db, data.slug)) {
    throw new AppError(
      "conflict",
      `slug: já existe um credor com o slug '${data.slug}'; escolha outro`,
      "slug",
    );
  }
  const row = await insertTenant(db, {
    slug: data.slug,
    legal_name: data.legalName,
    document: data.document,
    address: data.address,
    is_demo: data.isDemo ?? false,
    ...settingsColumns(data),
    extra_holidays: JSON.stringify(data.extraHolidays ?? []),
  });
  return tenantFromRow(row);
}

export async function getTenant(db: Kysely<Database>, id: string): Promise<Tenant> {
  const row = await findTenantById(db, id);
  if (!row) throw notFound("Credor", id);
  return tenantFromRow(row);
}

export async function getTenantBySlug(db: Kysely<Database>, slug: string): Promise<Tenant> {
  const row = await findTenantBySlug(db, slug);
  if (!row) throw notFound("Credor", slug);
  return tenantFromRow(row);
}

export async function listTenants(db: Kysely<Database>): Promise<Tenant[]> {
  return (await findAllTenants(db)).map(tenantFromRow);
}

export async function updateTenantSettings(
  db: Kysely<Database>,
  tenantId: string,
  input: TUpdateTenantSettings,
): Promise<Tenant> {
  const data = parseInput(ZUpdateTenantSettings, input);
  const row = await updateTenant(db, tenantId, settingsColumns(data));
  if (!row) throw notFound("Credor", tenantId);
  return tenantFromRow(row);
}

/**
 * The tenant named on the command line, or the only one when there is exactly one (the usual
 * embedded setup), so that `--tenant` can be left out.
 */
export async function resolveTenant(db: Kysely<Database>, slug: string | undefined): Promise<Tenant> {
  if (slug) return getTenantBySlug(db, slug);
  const tenants = await listTenants(db);
  if (tenants.length === 1) return tenants[0]!;
  if (tenants.length === 0) {
    throw new AppError("not_found", "nenhum credor cadastrado; crie um com `regua tenant create`");
  }
  throw validationError("tenant", `há ${tenants.length} credores; escolha um com --tenant SLUG`);
}

function settingsColumns(data: ReturnType<typeof ZUpdateTenantSettings.parse>): TenantUpdate {
  const columns: TenantUpdate = {};
  if (data.legalName !== undefined) columns.legal_name = data.legalName;
  if (data.document !== undefined) columns.document = data.document;
  if (data.address !== undefined) columns.address = data.address;
  if (data.timeZone !== undefined) columns.time_zone = data.timeZone;
  if (data.defaultFineBps !== undefined) columns.default_fine_bps = data.defaultFineBps;
  if (data.defaultInterestMonthlyBps !== undefined)
    columns.default_interest_monthly_bps = data.defaultInterestMonthlyBps;
  if (data.extraHolidays !== undefined) columns.extra_holidays = JSON.stringify(data.extraHolidays);
  if (data.boletoBankCode !== undefined) columns.boleto_bank_code = data.boletoBankCode;
  if (data.boletoAgency !== undefined) columns.boleto_agency = data.boletoAgency;
  if (data.boletoAccount !== undefined) columns.boleto_account = data.boletoAccount;
  if (data.boletoWallet !== undefined) columns.boleto_wallet = data.boletoWallet;
  if (data.pixKey !== undefined) columns.pix_key = data.pixKey;
  if (data.pixMerchantCity !== undefined) columns.pix_merchant_city = data.pixMerchantCity;
  return columns;
}
