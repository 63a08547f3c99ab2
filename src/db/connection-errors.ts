/**
 * Whether an error means the database is out of reach (refused, reset or timed-out connections, a
 * server shutting down or starting up), as opposed to a statement the database refused. Such a
 * failure is nobody's input: the API answers 503 with Retry-After, the dispatcher keeps its sends'
 * outcomes and writes them once the database is back.
 */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** SQLSTATEs of a server going away: admin_shutdown, crash_shutdown, cannot_connect_now. */
const SERVER_GOING_AWAY = new Set(["57P01", "57P02", "57P03"]);

/** pg's own words when a socket dies or the pool cannot hand out a connection in time. */
const LOST_CONNECTION_MESSAGES = [
  "Connection terminated",
  "timeout exceeded when trying to connect",
  "Client has encountered a connection error",
  "Client was closed and is not queryable",
  "Cannot use a pool after calling end on the pool",
];

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== "object") return false;
    const { code, message, errors, cause } = current as {
      code?: unknown;
      message?: unknown;
      errors?: unknown;
      cause?: unknown;
    };
    if (typeof code === "string") {
      if (NETWORK_CODES.has(code) || SERVER_GOING_AWAY.has(code)) return true;
      // class 08: connection exception
      if (/^08[0-9A-Z]{3}$/.test(code)) return true;
    }
    if (typeof message === "string" && LOST_CONNECTION_MESSAGES.some((words) => message.includes(words)))
      return true;
    // a connect to a host with several addresses fails with an AggregateError of each attempt
    if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    current = cause;
  }
  return false;
}
