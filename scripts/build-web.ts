import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The operators' dashboard (web/) is built by Vite into web/dist, which the API serves at /app/.
 * `npm start` and the browser tests call `buildWebIfStale`: it builds only when web/dist is missing
 * or older than its sources (web/src, web/index.html, web/vite.config.ts and the message catalogue
 * in src/i18n), so a fresh start after a pull builds once and later starts cost one directory walk.
 *   node scripts/build-web.ts          build if stale
 *   node scripts/build-web.ts --force  build anyway
 */
export const REPOSITORY_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const WEB_ROOT = join(REPOSITORY_ROOT, "web");
export const WEB_DIST = join(WEB_ROOT, "dist");
const BUILT_MARKER = join(WEB_DIST, "index.html");
const SOURCES = [
  join(WEB_ROOT, "src"),
  join(WEB_ROOT, "index.html"),
  join(WEB_ROOT, "vite.config.ts"),
  join(REPOSITORY_ROOT, "src", "i18n"),
];

function newestModification(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestModification(join(path, entry)));
  return newest;
}

/** Why a build is needed, or null when web/dist is newer than every source. */
export function webBuildReason(): string | null {
  if (!existsSync(BUILT_MARKER)) return "web/dist ainda não existe";
  const built = statSync(BUILT_MARKER).mtimeMs;
  const newest = Math.max(...SOURCES.map(newestModification));
  return newest > built ? "os fontes de web/ mudaram desde o último build" : null;
}

/** Builds the dashboard with Vite (programmatically, the config in web/vite.config.ts). */
export async function buildWeb(log: (line: string) => void = () => {}): Promise<void> {
  const started = performance.now();
  const { build } = await import("vite");
  // the React plugin emits the development JSX runtime (jsxDEV) unless NODE_ENV is production, and a
  // test run has NODE_ENV=test: the define in vite.config.ts alone leaves a bundle that cannot start
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: join(WEB_ROOT, "vite.config.ts"), logLevel: "warn" });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(`Painel construído em ${relative(REPOSITORY_ROOT, WEB_DIST)}/ (${seconds} s)`);
}

/** Builds when needed and says so; returns whether it built. */
export async function buildWebIfStale(log: (line: string) => void = () => {}): Promise<boolean> {
  const reason = webBuildReason();
  if (reason === null) return false;
  log(`Construindo o painel (${reason})…`);
  await buildWeb(log);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const work = process.argv.includes("--force") ? buildWeb(log) : buildWebIfStale(log);
  work
    .then((built) => {
      if (built === false) log("Painel já está atualizado (web/dist)");
    })
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack}\n`);
      process.exit(1);
    });
}
