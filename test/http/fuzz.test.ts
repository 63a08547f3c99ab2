import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import {
  apiKeyFor,
  type Caller,
  client,
  operatorSession,
  startServer,
  type TestServer,
} from "../support/http.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * Property: whatever body, query or path a client sends, the API answers 2xx–4xx in the error
 * format, never 5xx. Inputs come from a seeded generator (reproducible: the seed is in the failure
 * message) that mixes garbage with near-valid bodies built from the OpenAPI schemas' field names.
 */
// biome-ignore lint/suspicious/noExplicitAny: generated JSON
type Json = any;

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 30);

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;

const STRINGS = [
  "",
  " ",
  "a",
  "0",
  "-1",
  "null",
  "true",
  "2026-02-30",
  "2026-11-23",
  "9999-12-31",
  "0001-01-01",
  "31/12/2026",
  "2026-11-23T10:00:00Z",
  "2026-11-23T10:00:00",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "not-a-uuid",
  "email",
  "sms",
  "open",
  "admin",
  "write",
  "pix",
  "a@b.co",
  "+5511987654321",
  "11222333000181",
  "R$ 1.234,56",
  "'; drop table invoices; --",
  "<script>alert(1)</script>",
  "\u0000",
  "\ud83d\ude00 emoji",
  "ção ÁÉÍ",
  "x".repeat(300),
  "9".repeat(60),
  "message.*",
  "invoice.paid",
  "http://127.0.0.1:9/x",
  "https://",
];
const NUMBERS = [
  0,
  1,
  -1,
  1.5,
  -0.01,
  100,
  10_000,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  1e20,
  -1e20,
  1e308,
  99_999_999_99,
  365,
  -366,
];

function randomValue(depth = 0): Json {
  const kind = random();
  if (kind < 0.35) return chance(0.8) ? pick(STRINGS) : cpf();
  if (kind < 0.6) return pick(NUMBERS);
  if (kind < 0.68) return chance(0.5);
  if (kind < 0.75) return null;
  if (depth > 2) return pick(STRINGS);
  if (kind < 0.88) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(depth + 1));
  return Object.fromEntries(
    Array.from({ length: Math.floor(random() * 4) }, () => [
      pick(["a", "value", "channel", "date", "start"]),
      randomValue(depth + 1),
    ]),
  );
}

/** A body with the schema's field names (some left out, some extra) holding random values. */
function nearValidBody(schema: Json, depth = 0): Json {
  if (!schema || typeof schema !== "object" || depth > 3) return randomValue();
  if (schema.type === "object" || schema.properties) {
    const body: Record<string, Json> = {};
    for (const [name, property] of Object.entries<Json>(schema.properties ?? {})) {
      if (chance(0.8)) body[name] = chance(0.7) ? nearValidBody(property, depth + 1) : randomValue();
    }
    if (chance(0.15)) body[pick(["extra", "tenantId", "__proto__", "constructor"])] = randomValue();
    return body;
  }
  if (schema.type === "array")
    return Array.from({ length: Math.floor(random() * 3) }, () => nearValidBody(schema.items, depth + 1));
  if (schema.enum && chance(0.8)) return pick(schema.enum);
  if (schema.type === "integer" || schema.type === "number") return pick(NUMBERS);
  if (schema.type === "boolean") return chance(0.5);
  if (schema.format === "uuid") return chance(0.5) ? crypto.randomUUID() : pick(STRINGS);
  if (schema.format === "date")
    return pick(["2026-11-23", "2026-12-31", "9999-12-31", "0001-01-01", "2026-02-30"]);
  if (schema.anyOf) return nearValidBody(pick(schema.anyOf), depth + 1);
  return pick(STRINGS);
}

function garbageBody(): { raw: string; contentType?: string } {
  return pick([
    { raw: "{" },
    { raw: "null" },
    { raw: "[]" },
    { raw: '"text"' },
    { raw: "12" },
    { raw: "{}" },
    { raw: '{"a":'.repeat(50) },
    { raw: JSON.stringify(randomValue()) },
    { raw: "a,b,c\n1,2,3", contentType: "text/csv" },
    { raw: "<xml/>", contentType: "application/xml" },
    { raw: "\u0000\u0001", contentType: "text/plain" },
  ]);
}

let handle: DatabaseHandle;
let server: TestServer;
let call: ReturnType<typeof client>;
let admin: Caller;
let key: Caller;
let doc: Json;
const knownIds: string[] = [];

beforeAll(async () => {
  handle = await openTestDatabase();
  server = await startServer(handle, new FixedClock("2026-11-23T15:00:00Z"));
  call = client(server);
  const tenant = await apiTenant(handle);
  admin = await operatorSession(handle, tenant, "admin", new FixedClock("2026-11-23T15:00:00Z"));
  key = await apiKeyFor(handle, tenant.id, "write");
  doc = (await call(null, "GET", "/openapi.json")).body;
  const customer = await call(key, "POST", "/v1/customers", {
    body: {
      externalId: "fuzz-1",
      name: "Fuzz",
      document: cpf(),
      contacts: [{ channel: "email", value: "f@f.com.br" }],
    },
  });
  const invoice = await call(key, "POST", "/v1/invoices", {
    body: {
      externalId: "fuzz-f1",
      customerId: customer.body.id,
      amountCents: 1000,
      issueDate: "2026-10-01",
      dueDate: "2026-10-20",
    },
  });
  knownIds.push(customer.body.id, customer.body.contacts[0].id, invoice.body.id);
});

afterAll(async () => {
  await server?.close();
  await handle?.close();
});

function fillPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, () =>
    encodeURIComponent(
      chance(0.5) ? pick(knownIds) : chance(0.5) ? crypto.randomUUID() : String(pick(STRINGS)),
    ),
  );
}

function randomQuery(operation: Json): string {
  const params = new URLSearchParams();
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in !== "query" || !chance(0.6)) continue;
    const value = chance(0.6) ? nearValidBody(parameter.schema) : randomValue();
    params.set(parameter.name, typeof value === "string" ? value : JSON.stringify(value));
  }
  if (chance(0.2)) params.set(pick(["limit", "cursor", "x"]), String(pick(STRINGS)));
  const text = params.toString();
  return text ? `?${text}` : "";
}

it(`never answers 5xx to random requests on any route (seed ${SEED}, ${ROUNDS} rounds a route)`, async () => {
  const failures: string[] = [];
  let sent = 0;
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      if (path === "/v1/session" && method === "delete") continue; // would end the session the rounds use
      for (let round = 0; round < ROUNDS; round++) {
        const url = fillPath(path) + randomQuery(operation);
        const bodySchema = operation.requestBody?.content?.["application/json"]?.schema;
        const caller = chance(0.8) ? admin : key;
        const options =
          method === "get" || method === "delete"
            ? {}
            : chance(0.7) && bodySchema
              ? { body: nearValidBody(bodySchema) }
              : garbageBody();
        const headers: Record<string, string> = chance(0.2)
          ? { "idempotency-key": pick(["k1", "k2", "x".repeat(300), " "]) }
          : {};
        const response = await call(caller, method.toUpperCase(), url, { ...options, headers });
        sent += 1;
        if (response.status >= 500) {
          failures.push(
            `${method.toUpperCase()} ${url} ${JSON.stringify(options).slice(0, 300)} → ${response.status} ${response.text.slice(0, 200)}`,
          );
        } else if (response.status >= 400) {
          expect(response.body?.error?.code, `${method} ${url}: ${response.text}`).toEqual(
            expect.any(String),
          );
        }
      }
    }
  }
  expect(sent).toBeGreaterThan(1000);
  expect(failures, `seed ${SEED}`).toEqual([]);
  // thousands of requests, each a real write or read on the test database: minutes on a loaded machine
}, 240_000);
