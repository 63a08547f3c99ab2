import type { Api } from "./api.ts";
import { buildOpenApiDocument } from "./openapi.ts";

/**
 * `/openapi.json` and `/docs`. The reference is one self-contained HTML page (no CDN, no
 * download at run time, works offline) that reads `/openapi.json`, lists every operation with its
 * parameters and schemas, and sends test requests with the key typed into it.
 */
export function registerDocsRoutes(api: Api, version: string): void {
  let document: Record<string, unknown> | undefined;
  api.app.get("/openapi.json", async () => {
    // built on first use, when every module has registered its routes
    document ??= buildOpenApiDocument(api.routes, version);
    return document;
  });
  api.app.get("/docs", async (_request, reply) => reply.type("text/html; charset=utf-8").send(DOCS_PAGE));
}

const DOCS_PAGE = `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Régua API — referência</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d2433; background: #f6f7f9; }
  header { background: #12355b; color: #fff; padding: 16px 24px; }
  header input { width: 420px; max-width: 90vw; padding: 6px; border-radius: 4px; border: 0; }
  main { max-width: 1100px; margin: 0 auto; padding: 16px; }
  h2 { border-bottom: 2px solid #12355b; padding-bottom: 4px; }
  details { background: #fff; margin: 8px 0; border-radius: 6px; border: 1px solid #d9dde3; }
  summary { cursor: pointer; padding: 8px 12px; }
  .method { display: inline-block; width: 64px; font-weight: 700; }
  .GET { color: #0b7a3e } .POST { color: #1759c4 } .PUT, .PATCH { color: #a15c00 } .DELETE { color: #b3261e }
  .body { padding: 0 12px 12px; }
  pre { background: #f0f2f5; padding: 8px; overflow: auto; max-height: 320px; }
  table { border-collapse: collapse; } td, th { border: 1px solid #d9dde3; padding: 4px 8px; text-align: left; }
  textarea { width: 100%; min-height: 120px; font-family: monospace; }
  .perm { color: #555; font-size: 13px; }
</style>
</head>
<body>
<header>
  <h1 style="display:inline;font-size:inherit;margin:0">Régua API</h1> — referência interativa (OpenAPI 3.1 em <a style="color:#fff" href="/openapi.json">/openapi.json</a>)<br>
  <label>Chave de API: <input id="key" placeholder="rg_xxxxxxxxxxxx_..." autocomplete="off"></label>
</header>
<main id="root">Carregando…</main>
<script>
const keyInput = document.getElementById("key");
keyInput.value = sessionStorage.getItem("regua-key") || "";
keyInput.addEventListener("change", () => sessionStorage.setItem("regua-key", keyInput.value));
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}
function tryIt(path, method, operation) {
  const box = el("div");
  const inputs = {};
  for (const parameter of operation.parameters || []) {
    if (parameter.in === "header") continue;
    const input = el("input", { placeholder: parameter.name + (parameter.required ? " *" : "") });
    inputs[parameter.name] = { input, where: parameter.in };
    box.append(el("div", {}, parameter.name + " (" + parameter.in + "): ", input));
  }
  const body = operation.requestBody ? el("textarea", { placeholder: "corpo JSON" }) : null;
  if (body) box.append(body);
  const output = el("pre");
  const button = el("button", {}, "Enviar");
  button.addEventListener("click", async () => {
    let url = path;
    const query = new URLSearchParams();
    for (const [name, { input, where }] of Object.entries(inputs)) {
      if (!input.value) continue;
      if (where === "path") url = url.replace("{" + name + "}", encodeURIComponent(input.value));
      else query.set(name, input.value);
    }
    const headers = {};
    if (keyInput.value) headers.authorization = "Bearer " + keyInput.value;
    if (body) headers["content-type"] = "application/json";
    const response = await fetch(url + (query.size ? "?" + query : ""), { method, headers, body: body ? body.value : undefined });
    const text = await response.text();
    let shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
    output.textContent = response.status + " " + response.statusText + "\\n" + shown;
  });
  box.append(button, output);
  return box;
}
fetch("/openapi.json").then((r) => r.json()).then((spec) => {
  const root = document.getElementById("root");
  root.textContent = "";
  root.append(el("p", {}, spec.info.description));
  const byTag = {};
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      (byTag[operation.tags[0]] ||= []).push([path, method.toUpperCase(), operation]);
    }
  }
  for (const [tag, operations] of Object.entries(byTag)) {
    root.append(el("h2", {}, tag));
    for (const [path, method, operation] of operations) {
      const body = el("div", { class: "body" });
      if (operation.description) body.append(el("p", {}, operation.description));
      body.append(el("p", { class: "perm" }, operation["x-permission"]
        ? "Permissão: " + operation["x-permission"] + " — papéis: " + operation["x-roles"].join(", ") + " — chave: " + (operation["x-api-key-scope"] || "não permitido")
        : "Público"));
      if ((operation.parameters || []).length) {
        const table = el("table", {}, el("tr", {}, el("th", {}, "parâmetro"), el("th", {}, "em"), el("th", {}, "esquema")));
        for (const parameter of operation.parameters) {
          table.append(el("tr", {}, el("td", {}, parameter.name + (parameter.required ? " *" : "")), el("td", {}, parameter.in), el("td", {}, JSON.stringify(parameter.schema))));
        }
        body.append(table);
      }
      if (operation.requestBody) {
        const content = Object.entries(operation.requestBody.content)[0];
        body.append(el("h4", {}, "Corpo (" + content[0] + ")"), el("pre", {}, JSON.stringify(content[1].schema, null, 2)));
      }
      body.append(el("h4", {}, "Respostas"), el("pre", {}, JSON.stringify(operation.responses, null, 2)));
      body.append(el("h4", {}, "Testar"), tryIt(path, method, operation));
      root.append(el("details", {}, el("summary", {}, el("span", { class: "method " + method }, method), path + " — " + operation.summary), body));
    }
  }
});
</script>
</body>
</html>`;
