import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { client, startServer, type TestServer } from "../support/http.ts";
import { openTestDatabase } from "../support/test-database.ts";

// biome-ignore lint/suspicious/noExplicitAny: the document is walked as plain JSON
type Json = any;

let handle: DatabaseHandle;
let server: TestServer;
let doc: Json;

beforeAll(async () => {
  handle = await openTestDatabase();
  server = await startServer(handle, new FixedClock("2026-11-23T15:00:00Z"));
  doc = (await client(server)(null, "GET", "/openapi.json")).body;
});

afterAll(async () => {
  await server?.close();
  await handle?.close();
});

const METHODS = ["get", "put", "post", "delete", "patch"];

/** Resolves a local `$ref` (`#/components/schemas/Error`) or fails. */
function resolve(ref: string): Json {
  expect(ref.startsWith("#/")).toBe(true);
  let node = doc;
  for (const part of ref.slice(2).split("/")) {
    node = node?.[part];
    expect(node, `unresolved ${ref}`).toBeDefined();
  }
  return node;
}

function walkRefs(node: Json): void {
  if (Array.isArray(node)) node.forEach(walkRefs);
  else if (node && typeof node === "object") {
    if (typeof node.$ref === "string") resolve(node.$ref);
    for (const value of Object.values(node)) walkRefs(value);
  }
}

/** A JSON Schema (2020-12) node is an object or a boolean; types are the standard names. */
function checkSchema(schema: Json, where: string): void {
  expect(typeof schema === "object" || typeof schema === "boolean", where).toBe(true);
  if (typeof schema !== "object" || schema === null) return;
  const types = [schema.type ?? []].flat();
  for (const type of types) {
    expect(
      ["string", "number", "integer", "boolean", "object", "array", "null"],
      `${where}: type ${type}`,
    ).toContain(type);
  }
  for (const key of ["properties", "$defs"]) {
    for (const [name, child] of Object.entries(schema[key] ?? {})) checkSchema(child, `${where}.${name}`);
  }
  if (schema.items) checkSchema(schema.items, `${where}[]`);
  for (const key of ["anyOf", "oneOf", "allOf"])
    for (const child of schema[key] ?? []) checkSchema(child, where);
  if (schema.required) {
    expect(Array.isArray(schema.required), where).toBe(true);
    for (const name of schema.required)
      expect(Object.keys(schema.properties ?? {}), `${where} requires ${name}`).toContain(name);
  }
}

it("is a structurally valid OpenAPI 3.1 document", () => {
  expect(doc.openapi).toBe("3.1.0");
  expect(typeof doc.info.title).toBe("string");
  expect(typeof doc.info.version).toBe("string");
  walkRefs(doc);
  const operationIds = new Set<string>();
  const templates = new Set<string>();
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    expect(path.startsWith("/")).toBe(true);
    // templated paths differing only in parameter names are the same path (OpenAPI 3.1 §4.8.8)
    const template = path.replace(/\{[^}]+\}/g, "{}");
    expect(templates.has(template), `ambiguous path ${path}`).toBe(false);
    templates.add(template);
    const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    for (const [method, operation] of Object.entries<Json>(item)) {
      expect(METHODS).toContain(method);
      expect(operationIds.has(operation.operationId), operation.operationId).toBe(false);
      operationIds.add(operation.operationId);
      const statuses = Object.keys(operation.responses);
      expect(
        statuses.some((status) => /^2\d\d$/.test(status)),
        `${method} ${path}`,
      ).toBe(true);
      for (const response of Object.values<Json>(operation.responses))
        expect(typeof response.description).toBe("string");
      const declared = (operation.parameters ?? []).filter((parameter: Json) => parameter.in === "path");
      expect(declared.map((parameter: Json) => parameter.name).sort(), `${method} ${path}`).toEqual(
        [...pathParams].sort(),
      );
      for (const parameter of operation.parameters ?? []) {
        expect(["path", "query", "header", "cookie"]).toContain(parameter.in);
        if (parameter.in === "path") expect(parameter.required).toBe(true);
        checkSchema(parameter.schema, `${method} ${path} ${parameter.name}`);
      }
      for (const media of Object.values<Json>(operation.requestBody?.content ?? {}))
        checkSchema(media.schema, `${method} ${path} body`);
      if (operation.security === undefined) expect(operation["x-permission"]).toBeDefined();
    }
  }
  for (const scheme of Object.values<Json>(doc.components.securitySchemes)) {
    expect(["http", "apiKey"]).toContain(scheme.type);
  }
});

it("lists exactly the routes the server registered under /v1 (and the embed routes)", () => {
  const documented = Object.entries<Json>(doc.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
  const registered = server.app.registeredRoutes
    .filter(
      (route) => route.method !== "HEAD" && (route.url.startsWith("/v1/") || route.url.startsWith("/embed/")),
    )
    .map((route) => `${route.method} ${route.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`)
    .sort();
  expect(registered.length).toBeGreaterThan(35);
  expect(documented).toEqual(registered);
});

it("documents request bodies from the zod schemas, with their required fields", () => {
  const invoice = doc.paths["/v1/invoices"].post.requestBody.content["application/json"].schema;
  expect(invoice.required).toEqual(
    expect.arrayContaining(["externalId", "amountCents", "issueDate", "dueDate"]),
  );
  expect(invoice.properties.amountCents.type).toBe("integer");
  const list = doc.paths["/v1/invoices"].get.parameters.map((parameter: Json) => parameter.name);
  expect(list).toEqual(
    expect.arrayContaining([
      "limit",
      "cursor",
      "status",
      "daysOverdueMin",
      "daysOverdueMax",
      "dueFrom",
      "dueTo",
      "tag",
    ]),
  );
  expect(doc.paths["/v1/payments"].post.parameters.map((parameter: Json) => parameter.name)).toContain(
    "Idempotency-Key",
  );
});
