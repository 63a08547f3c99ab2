/**
 * Configuration read from the environment, one function per setting, so that every entry point
 * (server, worker, CLI) reads a setting the same way.
 */
import { type Clock, FixedClock, systemClock } from "./clock.ts";
import { validationError } from "./errors.ts";

/**
 * Where Régua's public pages and short links live (REGUA_PUBLIC_URL); without it, this machine on
 * the port `npm start` listens on (PORT, default 3000), so the links of a local run open.
 */
export function publicUrl(env: NodeJS.ProcessEnv = process.env): string {
  const port = Number(env.PORT) > 0 ? env.PORT : "3000";
  return (env.REGUA_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, "");
}

/**
 * Which proxies' X-Forwarded-For the HTTP server believes (REGUA_TRUST_PROXY), so the sign-in's
 * per-IP throttle and the audit log see the operator's address behind nginx, not the proxy's.
 * Unset: none (a client could otherwise name any address it likes and escape the throttle).
 * `true`: every hop; else comma-separated addresses or CIDRs of the proxies, e.g.
 * `127.0.0.1,10.0.0.0/8`.
 */
export function trustedProxies(env: NodeJS.ProcessEnv = process.env): boolean | string[] {
  const value = env.REGUA_TRUST_PROXY?.trim() ?? "";
  if (value === "" || value === "false") return false;
  if (value === "true") return true;
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * "The time" of every entry point (npm start, the worker, the CLI): `--now` where a command offers
 * it, else REGUA_FIXED_TIME, else the system clock. A pinned clock stands still at that instant
 * (demos, tests, re-running a given day). The instant carries its offset, e.g.
 * 2026-11-23T10:00:00-03:00; anything else is refused, naming where it came from.
 */
export function configuredClock(
  options: { now?: string | undefined } = {},
  env: NodeJS.ProcessEnv = process.env,
): Clock {
  if (options.now !== undefined) return new FixedClock(parseInstant(options.now, "now", "--now"));
  const fixed = env.REGUA_FIXED_TIME;
  if (fixed) return new FixedClock(parseInstant(fixed, "REGUA_FIXED_TIME", "REGUA_FIXED_TIME"));
  return systemClock;
}

function parseInstant(text: string, field: string, label: string): Date {
  const instant = new Date(text);
  if (!ISO_INSTANT.test(text.trim()) || Number.isNaN(instant.getTime())) {
    throw validationError(
      field,
      `${label}: "${text}" não é um instante válido; use data, hora e fuso, como 2026-11-23T10:00:00-03:00`,
    );
  }
  return instant;
}

/**
 * How many connections each process opens to an SMTP server at most (SMTP_CONNECTIONS; default:
 * as many as the messages it has in flight, 32). Relays and e-mail providers cap the simultaneous
 * connections of one client; above the cap they refuse or throttle, so the operator sets it to
 * what their provider allows per process. Several workers then send in parallel, each within it.
 */
export function smtpConnections(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env.SMTP_CONNECTIONS?.trim();
  if (!text) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 1000) {
    throw validationError(
      "SMTP_CONNECTIONS",
      `SMTP_CONNECTIONS: "${text}" não é um número de conexões válido; use um inteiro de 1 a 1000`,
    );
  }
  return value;
}
