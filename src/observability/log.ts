import pino from "pino";

/**
 * The process's log: JSON lines on standard error, one object per event, with the request id and
 * the tenant where there is one (docs/operations.md). Never personal data: no bodies, no query
 * strings, no URLs with tokens (the route's pattern stands for the path), no names, documents,
 * e-mails or phones. `REGUA_LOG_LEVEL` (fatal, error, warn, info, debug; default info; `silent`
 * turns it off) sets how much.
 */
export const log = pino(
  {
    level: process.env.REGUA_LOG_LEVEL ?? "info",
    base: { service: "regua" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  },
  pino.destination({ fd: 2, sync: true }),
);

/**
 * An error as a log field: its class, message and stack — not PostgreSQL's `detail`, which quotes
 * the row's values ("Key (document)=(…) already exists").
 */
export function errorField(error: unknown): { type: string; message: string; stack?: string } {
  const err = error instanceof Error ? error : new Error(String(error));
  return { type: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
}
