import type { Executor } from "../../src/db/database.ts";

let counter = 0;

/** A tenant inserted directly, for tests that need one before the tenants service is in play. */
export async function insertTestTenant(db: Executor, overrides: { slug?: string; legalName?: string } = {}) {
  counter += 1;
  return db
    .insertInto("tenants")
    .values({
      slug: overrides.slug ?? `credor-${process.pid}-${counter}`,
      legal_name: overrides.legalName ?? "Credora Exemplo Ltda",
      document: "11222333000181",
      address: "Av. Paulista, 1000, Bela Vista, São Paulo/SP, 01310-100",
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
