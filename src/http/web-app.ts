import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";

/**
 * The operators' dashboard (web/, built by Vite into web/dist) served at /app/: files by path,
 * hashed assets cached for a year (their name changes with their content), and index.html for
 * every other /app/ path so that the React router can take it (the SPA fallback). index.html is
 * never cached, so a new build is picked up on the next load.
 */
export const WEB_DIST = fileURLToPath(new URL("../../web/dist/", import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};
const YEAR_SECONDS = 365 * 24 * 3600;

export function registerWebApp(app: FastifyInstance, distDir: string = WEB_DIST): void {
  // the product's front door is the dashboard (the portal is entered through signed links)
  app.get("/", async (_request, reply) => reply.redirect("/app/", 302));
  app.get("/app", async (_request, reply) => reply.redirect("/app/", 301));
  app.get("/app/*", async (request, reply) => {
    const wanted = (request.params as { "*": string })["*"] ?? "";
    const file = resolveInside(distDir, wanted);
    const asset = file && existsSync(file) && extname(file) !== "" ? file : null;
    if (asset) {
      const immutable = wanted.startsWith("assets/");
      return reply
        .header("content-type", CONTENT_TYPES[extname(asset)] ?? "application/octet-stream")
        .header("cache-control", immutable ? `public, max-age=${YEAR_SECONDS}, immutable` : "no-cache")
        .send(await readFile(asset));
    }
    // a missing hashed asset is a real 404 (an old tab after a deploy), not the app's page
    if (wanted.startsWith("assets/")) return reply.status(404).type("text/plain; charset=utf-8").send("");
    const index = join(distDir, "index.html");
    if (!existsSync(index)) {
      return reply
        .status(503)
        .type("text/plain; charset=utf-8")
        .send("O painel ainda não foi construído: rode `node scripts/build-web.ts` (npm start faz isso).");
    }
    return reply
      .header("content-type", CONTENT_TYPES[".html"])
      .header("cache-control", "no-cache")
      .send(await readFile(index));
  });
}

/** The file under `root` that `wanted` names, or null when it would step outside it. */
function resolveInside(root: string, wanted: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(wanted);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const path = normalize(join(root, decoded));
  return path.startsWith(root.endsWith(sep) ? root : root + sep) ? path : null;
}
