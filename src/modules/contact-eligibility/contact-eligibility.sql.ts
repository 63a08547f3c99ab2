import { type RawBuilder, sql } from "kysely";

/**
 * The eligibility rule of contact-eligibility.ts in SQL, for the set-based planner and the batch
 * sends: the same decisions, over sets. Keep the two in step; test/modules/contact-eligibility.test.ts
 * checks that they agree on random contact sets.
 */

/** Whether contact `alias` may be used on its channel, ignoring the verified-owner requirement (isUsable). */
export function usableContact(alias: string): RawBuilder<boolean> {
  const k = sql.ref(alias);
  return sql<boolean>`(${k}.opted_out_at is null and ${k}.unusable_reason is null
    and (${k}.channel <> 'whatsapp' or ${k}.consent_at is not null))`;
}

/** A contact channel as one bit, so that a customer's channels aggregate into an integer (bit_or). */
export function channelBit(channel: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(case ${channel} when 'email' then 1 when 'sms' then 2 when 'whatsapp' then 4 else 0 end)`;
}

/**
 * Per customer of `customerIds` (a subquery or array expression yielding uuids), one row with its
 * channels as bits (see channelBit): `usable`, `usable_verified` (usable, owner verified) and
 * `opted_out`. A customer without contacts has no row: read the flags with coalesce(…, 0).
 */
export function contactFlags(tenantId: string, customerIds: RawBuilder<unknown>): RawBuilder<unknown> {
  const usable = usableContact("k");
  return sql`
      select k.customer_id,
        bit_or(${channelBit(sql`k.channel`)}) filter (where ${usable}) as usable,
        bit_or(${channelBit(sql`k.channel`)}) filter (where ${usable} and k.verified_owner) as usable_verified,
        bit_or(${channelBit(sql`k.channel`)}) filter (where k.opted_out_at is not null) as opted_out
      from contacts k
      where k.tenant_id = ${tenantId}::uuid and k.customer_id in ${customerIds}
      group by k.customer_id`;
}

/**
 * For a message on `channel` (an email, sms or whatsapp expression) with a customer's `flags`
 * (a contactFlags row alias, maybe null): null when a contact may be used, else the skip code
 * (decideContact): 'opted_out' or 'no_contact'.
 */
export function contactSkip(
  channel: RawBuilder<unknown>,
  verifiedOnly: RawBuilder<unknown>,
  flags: string,
): RawBuilder<string | null> {
  const f = sql.ref(flags);
  return sql<string | null>`(case
      when coalesce(${channelBit(channel)} & case when ${verifiedOnly} then ${f}.usable_verified else ${f}.usable end, 0) <> 0
        then null
      when coalesce(${channelBit(channel)} & ${f}.opted_out, 0) <> 0 then 'opted_out'
      else 'no_contact' end)`;
}

/** Whether a fallback step on "no usable `channel`" applies to the customer with `flags` (lacksUsableChannel). */
export function lacksUsableChannel(channel: RawBuilder<unknown>, flags: string): RawBuilder<boolean> {
  return sql<boolean>`(coalesce(${channelBit(channel)} & ${sql.ref(flags)}.usable, 0) = 0)`;
}
