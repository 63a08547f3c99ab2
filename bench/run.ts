import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BenchFigure, type Benchmark, ratioOf } from "./figure.ts";
import { parseScale, SCALE_ENV } from "./scale.ts";

const SCALE_BENCH = "scale.bench.ts";

/**
 * `npm run bench [name…]`: runs every bench/*.bench.ts (or those whose file name contains one of
 * the names given) and prints each figure beside its floor. Exits 1 when a figure misses its floor.
 * `--scale 10m` (or `1m`, `0.1m`) runs the scale bench, the whole product on a portfolio of that
 * many invoices; it is opt-in, left out of a plain run (see bench/scale.bench.ts).
 * Each file runs in a process of its own, so that one bench's memory (a peak RSS is a figure) and
 * warm caches never count for another.
 */
const here = dirname(fileURLToPath(import.meta.url));
// Benchmarks make throwaway databases: their sealed provider secrets need a key, not a kept one.
process.env.REGUA_SECRET_KEY ??= randomBytes(32).toString("base64");
// Their protocol peers (SMTP, the SMS provider's API) listen on this machine: the outbound guard
// (src/shared/outbound.ts) opens the loopback for them, as the test suite does.
process.env.REGUA_OUTBOUND_ALLOW ??= "127.0.0.1/32,::1/128";
// A JSON log line per request would be measured with the API: warnings and errors only.
process.env.REGUA_LOG_LEVEL ??= "warn";

const ONE_FILE = "--one";
if (process.argv[2] === ONE_FILE) {
  const module = (await import(pathToFileURL(join(here, process.argv[3]!)).href)) as { default: Benchmark };
  const emit = (figure: BenchFigure) => process.send!(figure);
  for (const figure of await module.default(emit)) emit(figure);
  process.exit(0);
}

const { scale, filters } = parseArguments(process.argv.slice(2));
if (scale) process.env[SCALE_ENV] = scale;
const files = readdirSync(here)
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) =>
    scale
      ? file === SCALE_BENCH
      : filters.length === 0
        ? file !== SCALE_BENCH
        : filters.some((filter) => file.includes(filter)),
  )
  .sort();

const figures: BenchFigure[] = [];
for (const file of files) {
  process.stdout.write(`\n▶ ${file}\n`);
  const child = fork(fileURLToPath(import.meta.url), [ONE_FILE, file], { stdio: "inherit" });
  child.on("message", (figure: BenchFigure) => {
    figures.push(figure);
    printFigure(figure);
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) {
    process.stdout.write(`  ${file} failed (exit ${code})\n`);
    process.exitCode = 1;
  }
}

/** `--scale N` (or `--scale=N`) apart from the bench names; a scale that does not parse stops the run. */
function parseArguments(args: string[]): { scale: string | undefined; filters: string[] } {
  const filters: string[] = [];
  let scale: string | undefined;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === "--scale") scale = args[++index] ?? "";
    else if (arg.startsWith("--scale=")) scale = arg.slice("--scale=".length);
    else filters.push(arg);
  }
  if (scale !== undefined && !parseScale(scale)) {
    process.stderr.write(`--scale ${scale}: use a number of invoices such as 1m, 10m or 0.1m\n`);
    process.exit(2);
  }
  return { scale, filters };
}

function printFigure(figure: BenchFigure): void {
  const ratio = ratioOf(figure);
  const comparison = figure.better === "lower" ? "≤" : "≥";
  const verdict = ratio >= 1 ? "ok" : "BELOW FLOOR";
  const value = `${round(figure.value)} ${figure.unit}`;
  const floor = `${comparison} ${round(figure.floor)} ${figure.unit}`;
  process.stdout.write(
    `  ${figure.name.padEnd(58)} ${value.padStart(16)}  floor ${floor.padEnd(18)} ratio ${ratio.toFixed(2)}× ${verdict}` +
      `${figure.note ? `  (${figure.note})` : ""}\n`,
  );
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(2);
}

const missed = figures.filter((figure) => ratioOf(figure) < 1);
process.stdout.write(`\n${figures.length} figures, ${missed.length} below their floor\n`);
if (missed.length > 0) process.exitCode = 1;
