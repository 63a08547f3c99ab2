import { z } from "zod";
import { ERROR_CODES } from "../shared/errors.ts";
import type { RegisteredRoute } from "./api.ts";
import { PERMISSIONS } from "./permissions.ts";

/**
 * The OpenAPI 3.1 document, built from the same declarations that register the routes (OpenAPI
 * 3.1 schemas are JSON Schema 2020-12, which zod 4 emits directly).
 */
type JsonSchema = Record<string, unknown>;

function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** `/v1/invoices/:id` → `/v1/invoices/{id}` */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

const ERROR_SCHEMA: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "field"],
      properties: {
        code: { type: "string", enum: Object.keys(ERROR_CODES) },
        message: { type: "string", description: "Em português, para quem enviou o pedido" },
        field: {
          type: ["string", "null"],
          description: "O campo em falta, como caminho pontuado (contacts.0.value)",
        },
      },
    },
  },
};

function parametersOf(schema: z.ZodType | undefined, location: "path" | "query"): JsonSchema[] {
  if (!schema) return [];
  const json = jsonSchemaOf(schema, "input");
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === "path" || required.has(name),
    ...(typeof property.description === "string" ? { description: property.description } : {}),
    schema: property,
  }));
}

function errorResponse(description: string): JsonSchema {
  return { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
}

function operationOf(route: RegisteredRoute): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  const success = route.status === 204 ? { description: "Sem conteúdo" } : { description: "Sucesso" };
  if (route.status !== 204) {
    const media = route.produces ?? "application/json";
    (success as JsonSchema).content = {
      [media]: {
        schema: route.response
          ? jsonSchemaOf(route.response, "output")
          : media === "application/json"
            ? { type: "object" }
            : { type: "string" },
      },
    };
  }
  responses[String(route.status)] = success;
  responses["400"] = errorResponse("Entrada inválida (o campo vem em error.field)");
  if (route.permission !== "public") {
    responses["401"] = errorResponse("Sem autenticação válida");
    responses["403"] = errorResponse("Permissão insuficiente, ou token CSRF ausente numa escrita por sessão");
    responses["429"] = errorResponse("Limite de pedidos por chave excedido (veja Retry-After)");
  }
  if (route.params) responses["404"] = errorResponse("Não encontrado (inclusive ids de outro credor)");
  if (route.method === "POST")
    responses["409"] = errorResponse("Conflito (inclusive Idempotency-Key reutilizada)");

  const parameters = [...parametersOf(route.params, "path"), ...parametersOf(route.query, "query")];
  if (route.method === "POST" && route.permission !== "public") {
    parameters.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description: "Repetir o pedido com a mesma chave devolve a primeira resposta (válida por 24 h)",
      schema: { type: "string", maxLength: 255 },
    });
  }
  const operation: JsonSchema = {
    operationId: `${route.method.toLowerCase()}${openApiPath(route.url)
      .replace(/[{}]/g, "")
      .replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
    summary: route.summary,
    tags: [route.tag],
    parameters,
    responses,
  };
  if (route.description) operation.description = route.description;
  if (route.permission === "public") operation.security = [];
  else {
    const rule = PERMISSIONS[route.permission];
    operation["x-permission"] = route.permission;
    operation["x-roles"] = rule.roles;
    operation["x-api-key-scope"] = rule.apiKeyScope;
  }
  if (route.body) {
    operation.requestBody = {
      required: true,
      content: { "application/json": { schema: jsonSchemaOf(route.body, "input") } },
    };
  } else if (route.consumes) {
    operation.requestBody = { required: true, content: { [route.consumes]: { schema: { type: "string" } } } };
  }
  return operation;
}

export function buildOpenApiDocument(routes: RegisteredRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = openApiPath(route.url);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Régua API",
      version,
      description:
        "API da Régua: clientes, faturas, pagamentos, situação (standing), webhooks assinados. " +
        'Erros: {"error":{"code","message","field"}}. Listas paginadas por cursor (limit ≤ 200, next_cursor). ' +
        "POST aceita Idempotency-Key. Limite de taxa por chave (token bucket em memória por processo).",
    },
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "Chave de API do credor: rg_<prefixo>_<segredo>",
        },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "regua_session",
          description: "Sessão do painel; escritas exigem também o cabeçalho X-CSRF-Token",
        },
      },
      schemas: { Error: ERROR_SCHEMA },
    },
  };
}
