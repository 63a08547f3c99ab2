import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import {
  contactFlags,
  contactSkip,
  lacksUsableChannel as lacksUsableChannelSql,
} from "../../src/modules/contact-eligibility/contact-eligibility.sql.ts";
import {
  CONTACT_CHANNELS,
  type ContactFacts,
  decideContact,
  lacksUsableChannel,
} from "../../src/modules/contact-eligibility/contact-eligibility.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { openTestDatabase } from "../support/test-database.ts";

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

/** A small seeded generator (mulberry32), so that a failing contact set can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const at = new Date("2026-11-01T12:00:00Z");

describe("who may be contacted: the TypeScript and SQL forms of one rule", () => {
  it("agree on every channel, with and without the verified-owner requirement, over random contact sets", async () => {
    const tenant = await insertTestTenant(handle.db);
    const random = seeded(20261206);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const contactsOf = new Map<string, ContactFacts[]>();
    for (let index = 0; index < 150; index += 1) {
      const customer = await handle.db
        .insertInto("customers")
        .values({
          tenant_id: tenant.id,
          external_id: `elig-${index}`,
          name: `Cliente ${index}`,
          document: "39053344705",
          kind: "person",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const contacts = Array.from({ length: Math.floor(random() * 5) }, (_, n) => ({
        channel: pick(CONTACT_CHANNELS),
        value: `contato-${index}-${n}`,
        opted_out_at: random() < 0.25 ? at : null,
        unusable_reason: random() < 0.2 ? "número inválido" : null,
        consent_at: random() < 0.5 ? at : null,
        verified_owner: random() < 0.5,
      }));
      contactsOf.set(customer.id, contacts);
      if (contacts.length > 0) {
        await handle.db
          .insertInto("contacts")
          .values(contacts.map((contact) => ({ tenant_id: tenant.id, customer_id: customer.id, ...contact })))
          .execute();
      }
    }

    const customersOfTenant = sql`(select id from customers where tenant_id = ${tenant.id}::uuid)`;
    const decided = await sql<{
      customer_id: string;
      channel: string;
      verified: boolean;
      skip: string | null;
      lacks: boolean;
    }>`
      with f as (${contactFlags(tenant.id, customersOfTenant)})
      select c.id as customer_id, ch.channel, v.verified,
        ${contactSkip(sql`ch.channel`, sql`v.verified`, "f")} as skip,
        ${lacksUsableChannelSql(sql`ch.channel`, "f")} as lacks
      from customers c
      cross join unnest(array['email', 'sms', 'whatsapp']) as ch (channel)
      cross join (values (true), (false)) as v (verified)
      left join f on f.customer_id = c.id
      where c.tenant_id = ${tenant.id}::uuid`.execute(handle.db);

    expect(decided.rows).toHaveLength(150 * 3 * 2);
    const outcomes = new Set<string>();
    for (const row of decided.rows) {
      const contacts = contactsOf.get(row.customer_id)!;
      const channel = row.channel as ContactFacts["channel"];
      const inTypeScript = decideContact(contacts, channel, { verifiedOnly: row.verified });
      expect({ customer: row.customer_id, channel, verified: row.verified, skip: row.skip }).toEqual({
        customer: row.customer_id,
        channel,
        verified: row.verified,
        skip: inTypeScript.skip,
      });
      expect(row.lacks).toBe(lacksUsableChannel(contacts, channel));
      outcomes.add(`${channel}:${row.skip}`);
    }
    // the random sets reach every decision on every channel, so the agreement means something
    for (const channel of CONTACT_CHANNELS) {
      for (const skip of ["null", "opted_out", "no_contact"])
        expect(outcomes).toContain(`${channel}:${skip}`);
    }
  });

  it("a WhatsApp number without the debtor's opt-in is not a usable WhatsApp, so the SMS fallback applies", () => {
    const whatsapp: ContactFacts = {
      channel: "whatsapp",
      opted_out_at: null,
      unusable_reason: null,
      consent_at: null,
      verified_owner: true,
    };
    expect(decideContact([whatsapp], "whatsapp", { verifiedOnly: false })).toEqual({
      contact: null,
      skip: "no_contact",
    });
    expect(lacksUsableChannel([whatsapp], "whatsapp")).toBe(true);
    expect(lacksUsableChannel([{ ...whatsapp, consent_at: at }], "whatsapp")).toBe(false);
  });
});
