import autocannon from "autocannon";

/**
 * The load generator of bench/api.bench.ts, run as a second process so that the load does not
 * share the server's event loop: `node bench/api-load.ts '<json options>'` prints autocannon's
 * result as JSON. `[<id>]` in the body is replaced by a unique id per request.
 */
interface LoadOptions {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  connections: number;
  duration: number;
  overallRate?: number;
  paths?: string[];
}

const options = JSON.parse(process.argv[2] ?? "{}") as LoadOptions;
const requests = options.paths?.map((path) => ({ method: options.method, path }));
const result = await autocannon({
  url: options.url,
  method: options.method,
  headers: options.headers,
  ...(options.body ? { body: options.body, idReplacement: true } : {}),
  ...(requests ? { requests } : {}),
  connections: options.connections,
  duration: options.duration,
  ...(options.overallRate ? { overallRate: options.overallRate } : {}),
});
process.stdout.write(
  JSON.stringify({
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: result.statusCodeStats,
  }),
);
