import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { inTransaction } from "../../db/transaction.ts";
import { timeZoneOfState } from "../../domain/brazil.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError, notFound } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { type ContactChangeBy, recordContactChanges } from "./contact-change.repository.ts";
import {
  findContactsOfCustomers,
  findCustomerByExternalId,
  findCustomerById,
  findCustomers,
  insertContacts,
  insertCustomer,
  updateContact,
} from "./customer.repository.ts";
import type { ContactRow, CustomerRow, NewCustomerRow } from "./customer.table.ts";
import type { Contact, Customer, TCreateCustomer, TValidCustomer } from "./customer.ts";
import { ZCreateCustomer } from "./customer.ts";

export function contactFromRow(row: ContactRow): Contact {
  return {
    id: row.id,
    channel: row.channel,
    value: row.value,
    consentAt: row.consent_at,
    optedOutAt: row.opted_out_at,
    verifiedOwner: row.verified_owner,
    unusableReason: row.unusable_reason,
  };
}

export function customerFromRow(row: CustomerRow, contacts: ContactRow[]): Customer {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    externalId: row.external_id,
    name: row.name,
    document: row.document,
    kind: row.kind,
    address: {
      street: row.address_street,
      number: row.address_number,
      district: row.address_district,
      city: row.address_city,
      state: row.address_state,
      postalCode: row.address_postal_code,
    },
    timeZone: row.time_zone,
    tags: row.tags,
    contacts: contacts.filter((contact) => contact.customer_id === row.id).map(contactFromRow),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The customer's row columns from validated input. Business rules run in the debtor's time zone:
 * the one of their UF, or the tenant's when the address has none.
 */
export function customerColumns(tenant: Tenant, data: TValidCustomer): Omit<NewCustomerRow, "tenant_id"> {
  const address = data.address;
  return {
    external_id: data.externalId,
    name: data.name,
    document: data.document,
    kind: data.kind,
    address_street: address?.street || null,
    address_number: address?.number || null,
    address_district: address?.district || null,
    address_city: address?.city || null,
    address_state: address?.state || null,
    address_postal_code: address?.postalCode || null,
    time_zone: address?.state ? timeZoneOfState(address.state) : tenant.timeZone,
    tags: data.tags,
  };
}

/** A customer made through the API unless the caller says otherwise (the dashboard's operator). */
const BY_API: ContactChangeBy = { source: "api", actorId: null };

export async function createCustomer(
  db: Kysely<Database>,
  tenant: Tenant,
  input: TCreateCustomer,
  clock: Clock,
  by: ContactChangeBy = BY_API,
): Promise<Customer> {
  const data = parseInput(ZCreateCustomer, input);
  return db.transaction().execute(async (trx) => {
    if (await findCustomerByExternalId(trx, tenant.id, data.externalId)) {
      throw new AppError(
        "conflict",
        `externalId: já existe um cliente com o id externo '${data.externalId}'`,
        "externalId",
      );
    }
    const row = await insertCustomer(trx, { tenant_id: tenant.id, ...customerColumns(tenant, data) });
    const now = clock.now();
    const unique = new Map(data.contacts.map((contact) => [`${contact.channel}:${contact.value}`, contact]));
    const contacts = await insertContacts(
      trx,
      [...unique.values()].map((contact) => ({
        tenant_id: tenant.id,
        customer_id: row.id,
        channel: contact.channel,
        value: contact.value,
        consent_at: contact.consent ? now : null,
        opted_out_at: null,
        verified_owner: contact.verifiedOwner ?? false,
        unusable_reason: null,
        created_at: now,
      })),
    );
    await recordContactChanges(
      trx,
      contacts.map((contact) => ({ contact, change: "added" as const })),
      by,
      now,
    );
    return customerFromRow(row, contacts);
  });
}

export async function getCustomer(db: Kysely<Database>, tenantId: string, id: string): Promise<Customer> {
  const row = await findCustomerById(db, tenantId, id);
  if (!row) throw notFound("Cliente", id);
  return customerFromRow(row, await findContactsOfCustomers(db, tenantId, [row.id]));
}

export async function getCustomerByExternalId(
  db: Kysely<Database>,
  tenantId: string,
  externalId: string,
): Promise<Customer> {
  const row = await findCustomerByExternalId(db, tenantId, externalId);
  if (!row) throw notFound("Cliente", externalId);
  return customerFromRow(row, await findContactsOfCustomers(db, tenantId, [row.id]));
}

export async function listCustomers(
  db: Kysely<Database>,
  tenantId: string,
  options: { limit?: number; offset?: number; tag?: string } = {},
): Promise<Customer[]> {
  const rows = await findCustomers(db, tenantId, {
    limit: Math.min(options.limit ?? 100, 1000),
    offset: options.offset ?? 0,
    tag: options.tag,
  });
  const contacts = await findContactsOfCustomers(
    db,
    tenantId,
    rows.map((row) => row.id),
  );
  return rows.map((row) => customerFromRow(row, contacts));
}

/** Records an opt-out on one contact; it is honoured at once (LGPD; ARCHITECTURE invariants). */
export async function optOutContact(
  db: Executor,
  tenantId: string,
  contactId: string,
  clock: Clock,
  by: ContactChangeBy,
): Promise<Contact> {
  return editContact(db, tenantId, contactId, { opted_out_at: clock.now() }, "opted_out", by, clock);
}

/** Records consent (and lifts an earlier opt-out) on one contact. */
export async function recordContactConsent(
  db: Executor,
  tenantId: string,
  contactId: string,
  clock: Clock,
  by: ContactChangeBy,
): Promise<Contact> {
  const changes = { consent_at: clock.now(), opted_out_at: null };
  return editContact(db, tenantId, contactId, changes, "consent", by, clock);
}

/** Marks whether a contact is known to belong to the payer (SMS goes only to verified owners). */
export async function setContactVerifiedOwner(
  db: Executor,
  tenantId: string,
  contactId: string,
  verified: boolean,
  by: ContactChangeBy,
  clock: Clock,
): Promise<Contact> {
  return editContact(db, tenantId, contactId, { verified_owner: verified }, "verified_owner", by, clock);
}

/** One edit of a contact and its line in the contact's history, together. */
async function editContact(
  db: Executor,
  tenantId: string,
  contactId: string,
  changes: Parameters<typeof updateContact>[3],
  detail: string,
  by: ContactChangeBy,
  clock: Clock,
): Promise<Contact> {
  return inTransaction(db, async (trx) => {
    const row = await updateContact(trx, tenantId, contactId, changes);
    if (!row) throw notFound("Contato", contactId);
    await recordContactChanges(trx, [{ contact: row, change: "edited", detail }], by, clock.now());
    return contactFromRow(row);
  });
}
