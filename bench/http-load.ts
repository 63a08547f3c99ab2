import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** autocannon's figures for one load, as bench/api-load.ts prints them. */
export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, { count: number }>;
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Loads an HTTP server from a second process (bench/api-load.ts), so that the load does not share
 * the server's event loop. `options` are api-load's: url, method, headers, body or paths,
 * connections, duration, overallRate.
 */
export function load(options: Record<string, unknown>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(here, "api-load.ts"), JSON.stringify(options)],
      { maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`load generator failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout) as LoadResult);
      },
    );
  });
}

/** A figure measured with failed requests would flatter the server: any non-2xx fails the bench. */
export function checkClean(label: string, result: LoadResult): void {
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${label}: ${result.non2xx} non-2xx, ${result.errors} errors, ${JSON.stringify(result.statusCodes)}`,
    );
  }
}
