import { afterAll, beforeAll, expect, it } from "vitest";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";
import type { Caller } from "../support/http.ts";

/**
 * Schema-driven hostile fuzzer: for every operation in /openapi.json, a body shaped by its schema
 * (each field a plausible value of its type) is sent with one field at a time replaced by a
 * hostile value — empty, huge, the wrong type, a lone surrogate, NUL, year 0000, negative money,
 * SQL and path characters — and path and query parameters get the same treatment. Whatever comes
 * in, the API answers below 500; a refusal is in the error format, in pt-BR, never names an
 * internal path, and a 400 for a body names the field at fault. Bounded (HOSTILE_PER_OPERATION
 * requests an operation) and reproducible (the seed is in every failure).
 */
// biome-ignore lint/suspicious/noExplicitAny: generated JSON
type Json = any;

const SEED = Number(process.env.FUZZ_SEED ?? 1914);
const PER_OPERATION = Number(process.env.HOSTILE_PER_OPERATION ?? 4);

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

const HOSTILE: readonly Json[] = [
  "",
  " ",
  "x".repeat(20_000),
  "Mensalidade \ud800",
  "ab\udc00cd",
  "nul\u0000byte",
  "0000-01-01",
  "0000-02-29T00:00:00Z",
  "9999-12-31",
  -1,
  -100_000,
  1e300,
  2 ** 63,
  0.001,
  "'; drop table invoices; --",
  "' OR '1'='1",
  "../../../../etc/passwd",
  "..%2f..%2fetc%2fpasswd",
  "%00",
  "\\",
  "<script>alert(1)</script>",
  "{{ 7*7 }}",
  true,
  null,
  [],
  {},
  [[[[[[[[]]]]]]]],
  { $gt: "" },
];

/** English as zod or Node write it, and traces of the server's own files: neither may reach a client. */
const ENGLISH =
  /\b(Invalid input|Invalid|expected|Expected|received|Too big|Too small|Required|Unrecognized|must be|is not)\b/;
const INTERNAL =
  /(\/work\/|\/src\/|node_modules|\.ts:\d|\bat [\w.<>]+ \(|SQLSTATE|syntax error at|relation "|column ")/;

/** A plausible value of a schema's type, so that one hostile field is the only thing wrong. */
function plausible(schema: Json, depth = 0): Json {
  if (!schema || typeof schema !== "object" || depth > 4) return "valor";
  if (schema.anyOf || schema.oneOf)
    return plausible((schema.anyOf ?? schema.oneOf).find((s: Json) => s.type !== "null") ?? {}, depth + 1);
  if (schema.enum) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== "null") : schema.type;
  if (type === "object" || schema.properties) {
    const body: Record<string, Json> = {};
    for (const [name, property] of Object.entries<Json>(schema.properties ?? {}))
      body[name] = plausible(property, depth + 1);
    return body;
  }
  if (type === "array") return [plausible(schema.items, depth + 1)];
  if (type === "integer" || type === "number") return Math.max(1, schema.minimum ?? 1);
  if (type === "boolean") return false;
  if (schema.format === "uuid") return crypto.randomUUID();
  if (schema.format === "date") return "2026-11-23";
  if (schema.format === "date-time") return "2026-11-20T12:00:00-03:00";
  if (schema.format === "email") return "ana@credora.com.br";
  if (schema.format === "uri") return "https://exemplo.com.br/gancho";
  return "valor";
}

let api: ApiTest<Awaited<ReturnType<typeof apiTenant>>>;
let admin: Caller;
let doc: Json;
const knownIds: string[] = [];

beforeAll(async () => {
  api = await startApiTest(new FixedClock("2026-11-23T15:00:00Z"), apiTenant);
  admin = await api.operator("admin");
  doc = (await api.call(null, "GET", "/openapi.json")).body;
  const customer = await api.call(api.key, "POST", "/v1/customers", {
    body: { externalId: "hostil-fuzz", name: "Fuzz", document: cpf() },
  });
  knownIds.push(customer.body.id);
});
afterAll(async () => api?.close());

function pathWith(path: string, hostile: string | null): string {
  return path.replace(/\{([^}]+)\}/g, () => percentEncode(hostile ?? pick(knownIds)));
}

/** encodeURIComponent, with a lone surrogate sent as the bytes a careless client would send. */
function percentEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return `${encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, ""))}%ED%A0%80`;
  }
}

it(`no hostile value reaches a 5xx, an English message or an internal path (seed ${SEED})`, async () => {
  const failures: string[] = [];
  let sent = 0;
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      if (path === "/v1/session" && method === "delete") continue; // would end the session the rounds use
      const bodySchema = operation.requestBody?.content?.["application/json"]?.schema;
      const fields = Object.keys(bodySchema?.properties ?? {});
      const queries = (operation.parameters ?? []).filter((parameter: Json) => parameter.in === "query");
      for (let round = 0; round < PER_OPERATION; round++) {
        const hostile = pick(HOSTILE);
        const text = typeof hostile === "string" ? hostile : JSON.stringify(hostile);
        const hostilePath = path.includes("{") && round % 3 === 0;
        let url = pathWith(path, hostilePath ? text.slice(0, 200) : null);
        let body: Json;
        let target = "";
        if (bodySchema && fields.length > 0) {
          body = plausible(bodySchema);
          target = pick(fields);
          body[target] = hostile;
        } else if (queries.length > 0) {
          const query: Json = pick(queries);
          url += `?${new URLSearchParams({ [query.name]: text.slice(0, 2_000) })}`;
        }
        const response = await api.call(
          round % 2 ? api.key : admin,
          method.toUpperCase(),
          url,
          body === undefined ? {} : { body },
        );
        sent += 1;
        const where = `${method.toUpperCase()} ${url.slice(0, 120)}${target ? ` ${target}=${JSON.stringify(hostile).slice(0, 40)}` : ""}`;
        if (response.status >= 500) {
          failures.push(`${where} → ${response.status} ${response.text.slice(0, 200)}`);
          continue;
        }
        if (response.status < 400 || !response.body?.error) continue;
        const { code, message, field } = response.body.error;
        if (typeof message !== "string" || ENGLISH.test(message) || INTERNAL.test(message))
          failures.push(`${where} → ${response.status} not pt-BR or leaks: ${message}`);
        if (target && !hostilePath && code === "validation_failed" && response.status === 400 && !field)
          failures.push(`${where} → 400 without a field: ${message}`);
      }
    }
  }
  expect(sent).toBeGreaterThan(300);
  expect(failures, `seed ${SEED}`).toEqual([]);
  // the count bounds it (about 30 s on an idle machine); the timeout only allows for a busy one
}, 180_000);
