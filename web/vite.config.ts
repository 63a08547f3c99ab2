import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The operators' dashboard: built into web/dist and served by the API's Fastify app at /app/
 * (src/http/web-app.ts). The UI strings come from the one message catalogue in src/i18n, outside
 * this folder, hence the wider `fs.allow`.
 */
const webRoot = fileURLToPath(new URL(".", import.meta.url));
const repositoryRoot = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig(({ command }) => ({
  root: webRoot,
  base: "/app/",
  plugins: [react()],
  logLevel: "warn",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
  },
  // a build is always React's production build, even when started from a test run (NODE_ENV=test)
  define: command === "build" ? { "process.env.NODE_ENV": JSON.stringify("production") } : {},
  server: { fs: { allow: [repositoryRoot] } },
}));
