import { createHash, randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/db/connect.ts";
import { loadMigrations, migrate } from "../../src/db/migrate.ts";
import { followShortLink } from "../../src/modules/messages/message.service.ts";
import { authenticateSession, createOperator, login } from "../../src/modules/operators/operator.service.ts";
import { tenantOfWebhookToken } from "../../src/modules/pix/pix-webhook.service.ts";
import { resolvePortalSession } from "../../src/modules/portal/portal.service.ts";
import {
  mintStandingToken,
  resolveStandingToken,
} from "../../src/modules/standing/standing-token.service.ts";
import { authenticateApiKey, createApiKey } from "../../src/modules/tenants/api-key.service.ts";
import { routePrefixOf } from "../../src/modules/tenants/token-route.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { databaseUrl, onPostgres, openTestDatabase, withServer } from "../support/test-database.ts";

/**
 * Tokens route themselves to their tenant (docs/scale.md § Tokens, migration 0042): each kind,
 * issued now, carries the tenant's route and is found by (tenant, token); the same secret under
 * another tenant's route finds nothing; and a token issued before routing — no route — still works.
 */
let handle: DatabaseHandle;
let tenantA: { id: string; slug: string };
let tenantB: { id: string; slug: string };
let customerA: string;
const now = new Date("2026-11-23T13:00:00Z");

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const random = (bytes: number) => randomBytes(bytes).toString("base64url");

beforeAll(async () => {
  handle = await openTestDatabase();
  tenantA = await insertTestTenant(handle.db);
  tenantB = await insertTestTenant(handle.db);
  const customer = await handle.db
    .insertInto("customers")
    .values({
      tenant_id: tenantA.id,
      external_id: "c-1",
      name: "Ana Costa",
      kind: "person",
      document: "52998224725",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  customerA = customer.id;
});
afterAll(async () => {
  await handle?.close();
});

/** The token with its route swapped for tenant B's (after an optional kind tag). */
async function underB(token: string, tag = ""): Promise<string> {
  const rest = token.slice(tag.length);
  return `${tag}${await routePrefixOf(handle.db, tenantB.id)}${rest.slice(rest.indexOf(".") + 1)}`;
}

describe("routed tokens", () => {
  it("every tenant has its own route", async () => {
    const [a, b] = [await routePrefixOf(handle.db, tenantA.id), await routePrefixOf(handle.db, tenantB.id)];
    expect(a).toMatch(/^[0-9a-z]+\.$/);
    expect(a).not.toBe(b);
  });

  it("API keys: routed when made, refused under another route, the old form still accepted", async () => {
    const created = await createApiKey(handle.db, tenantA.id, { name: "erp", scope: "write" });
    const prefix = await routePrefixOf(handle.db, tenantA.id);
    expect(created.plaintext.startsWith(`rg_${prefix}`)).toBe(true);
    expect(created.apiKey.prefix).toMatch(/^[0-9a-z]+\.[0-9a-f]{12}$/);
    expect(await authenticateApiKey(handle.db, created.plaintext)).toMatchObject({ tenantId: tenantA.id });
    expect(await authenticateApiKey(handle.db, await underB(created.plaintext, "rg_"))).toBeNull();
    // a key made before migration 0042: rg_<12 hex>_<secret>
    const secret = random(32);
    await handle.db
      .insertInto("api_keys")
      .values({
        tenant_id: tenantA.id,
        name: "antiga",
        prefix: "0123456789ab",
        secret_hash: sha256(secret),
        scope: "read",
      })
      .execute();
    expect(await authenticateApiKey(handle.db, `rg_0123456789ab_${secret}`)).toMatchObject({
      tenantId: tenantA.id,
      scope: "read",
    });
  });

  it("standing tokens: routed when minted, refused under another route, the old form still accepted", async () => {
    const { token } = await mintStandingToken(handle.db, tenantA.id, customerA, now, 10);
    expect(token.startsWith(`st_${await routePrefixOf(handle.db, tenantA.id)}`)).toBe(true);
    expect(await resolveStandingToken(handle.db, token, now)).toEqual({
      tenantId: tenantA.id,
      customerId: customerA,
    });
    await expect(resolveStandingToken(handle.db, await underB(token, "st_"), now)).rejects.toThrow(
      /inválido/,
    );
    await expect(resolveStandingToken(handle.db, `st_zzzzzzz.${random(24)}`, now)).rejects.toThrow(
      /inválido/,
    );
    const legacy = `st_${random(24)}`;
    await handle.db
      .insertInto("standing_tokens")
      .values({
        tenant_id: tenantA.id,
        customer_id: customerA,
        token_hash: sha256(legacy),
        expires_at: new Date(now.getTime() + 600_000),
      })
      .execute();
    expect(await resolveStandingToken(handle.db, legacy, now)).toEqual({
      tenantId: tenantA.id,
      customerId: customerA,
    });
  });

  it("operator sessions: the cookie is routed; an old cookie still signs in", async () => {
    const operator = await createOperator(handle.db, tenantA.id, {
      email: "ana@exemplo.com.br",
      name: "Ana",
      role: "admin",
      password: "uma senha longa o bastante",
    });
    const started = await login(
      handle.db,
      { tenant: tenantA.slug, email: "ana@exemplo.com.br", password: "uma senha longa o bastante" },
      now,
    );
    expect(started.token.startsWith(await routePrefixOf(handle.db, tenantA.id))).toBe(true);
    expect(await authenticateSession(handle.db, started.token, now)).toMatchObject({ tenantId: tenantA.id });
    expect(await authenticateSession(handle.db, await underB(started.token), now)).toBeNull();
    const legacy = random(32);
    await handle.db
      .insertInto("operator_sessions")
      .values({
        tenant_id: tenantA.id,
        operator_id: operator.id,
        token_hash: sha256(legacy),
        csrf_token: random(24),
        expires_at: new Date(now.getTime() + 3_600_000),
      })
      .execute();
    expect(await authenticateSession(handle.db, legacy, now)).toMatchObject({ tenantId: tenantA.id });
  });

  it("portal sessions: found by (tenant, hash) when routed, by the hash alone when older", async () => {
    const routed = `${await routePrefixOf(handle.db, tenantA.id)}${random(32)}`;
    const legacy = random(32);
    for (const token of [routed, legacy]) {
      await handle.db
        .insertInto("portal_sessions")
        .values({
          tenant_id: tenantA.id,
          token_hash: sha256(token),
          customer_id: customerA,
          csrf_token: random(24),
          created_at: now,
          expires_at: new Date(now.getTime() + 600_000),
        })
        .execute();
      expect(await resolvePortalSession(handle.db, token, now)).toMatchObject({
        tenantId: tenantA.id,
        customerId: customerA,
      });
    }
    expect(await resolvePortalSession(handle.db, await underB(routed), now)).toBeNull();
  });

  it("the Pix webhook's path: routed or older, it names its tenant; another route names none", async () => {
    const settings = (token: string, tenantId: string) => ({
      tenant_id: tenantId,
      base_url: "https://psp.example.com",
      token_url: "https://psp.example.com/oauth/token",
      client_id: "id",
      client_secret: "secret",
      certificate_pem: "pem",
      private_key_pem: "pem",
      receiver_key: "12345678000195",
      webhook_token: token,
    });
    const routed = `pixwh_${await routePrefixOf(handle.db, tenantA.id)}${random(24)}`;
    const legacy = `pixwh_${random(24)}`;
    await handle.db.insertInto("pix_settings").values(settings(routed, tenantA.id)).execute();
    await handle.db.insertInto("pix_settings").values(settings(legacy, tenantB.id)).execute();
    expect((await tenantOfWebhookToken(handle.db, routed)).id).toBe(tenantA.id);
    expect((await tenantOfWebhookToken(handle.db, legacy)).id).toBe(tenantB.id);
    await expect(tenantOfWebhookToken(handle.db, await underB(routed, "pixwh_"))).rejects.toThrow(
      /Webhook Pix desconhecido/,
    );
  });
});

/** A database with no migration applied: in memory on PGlite, a new database on PostgreSQL. */
async function openEmptyDatabase(): Promise<DatabaseHandle> {
  if (!onPostgres) return openDatabase({});
  const name = `regua_test_${randomBytes(6).toString("hex")}`;
  await withServer((client) => client.query(`create database ${name}`));
  const empty = await openDatabase({ url: databaseUrl(name) });
  const close = empty.close;
  empty.close = async () => {
    await close();
    await withServer((client) => client.query(`drop database if exists ${name} with (force)`));
  };
  return empty;
}

describe("migration 0042", () => {
  it("keeps every token issued before it working", async () => {
    const old = await openEmptyDatabase();
    try {
      await migrate(
        old,
        loadMigrations().filter((migration) => migration.version < 42),
      );
      const tenant = await insertTestTenant(old.db);
      const customer = await old.db
        .insertInto("customers")
        .values({
          tenant_id: tenant.id,
          external_id: "c-1",
          name: "Ana Costa",
          kind: "person",
          document: "52998224725",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const secret = random(32);
      const standing = `st_${random(24)}`;
      const portal = random(32);
      const pix = `pixwh_${random(24)}`;
      await old.db
        .insertInto("short_links")
        .values({
          code: "Ab3_x-Yz",
          tenant_id: tenant.id,
          message_id: null,
          kind: "link",
          url: "https://x/portal",
        })
        .execute();
      await old.db
        .insertInto("api_keys")
        .values({
          tenant_id: tenant.id,
          name: "erp",
          prefix: "0123456789ab",
          secret_hash: sha256(secret),
          scope: "write",
        })
        .execute();
      await old.db
        .insertInto("standing_tokens")
        .values({
          tenant_id: tenant.id,
          customer_id: customer.id,
          token_hash: sha256(standing),
          expires_at: new Date(now.getTime() + 600_000),
        })
        .execute();
      await old.db
        .insertInto("portal_sessions")
        .values({
          tenant_id: tenant.id,
          token_hash: sha256(portal),
          customer_id: customer.id,
          csrf_token: random(24),
          created_at: now,
          expires_at: new Date(now.getTime() + 600_000),
        })
        .execute();
      await sql`insert into pix_settings (tenant_id, base_url, token_url, client_id, client_secret,
          certificate_pem, private_key_pem, receiver_key, webhook_token)
        values (${tenant.id}, 'https://psp', 'https://psp/token', 'id', 's', 'pem', 'pem', 'chave', ${pix})`.execute(
        old.db,
      );

      const fromRouting = loadMigrations()
        .filter((migration) => migration.version >= 42)
        .map((migration) => migration.version);
      expect((await migrate(old)).applied.map((migration) => migration.version)).toEqual(fromRouting);
      expect(await routePrefixOf(old.db, tenant.id)).toMatch(/^[0-9a-z]+\.$/);
      const link = await followShortLink(old.db, "Ab3_x-Yz", new FixedClock(now));
      expect(link).toMatchObject({ tenantId: tenant.id, url: "https://x/portal" });
      expect(await authenticateApiKey(old.db, `rg_0123456789ab_${secret}`)).toMatchObject({
        tenantId: tenant.id,
      });
      expect(await resolveStandingToken(old.db, standing, now)).toMatchObject({ tenantId: tenant.id });
      expect(await resolvePortalSession(old.db, portal, now)).toMatchObject({ tenantId: tenant.id });
      expect((await tenantOfWebhookToken(old.db, pix)).id).toBe(tenant.id);
    } finally {
      await old.close();
    }
  });
});
