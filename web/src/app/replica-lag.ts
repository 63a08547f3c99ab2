import type { ReplicaLag } from "../../../src/http/replica-lag.ts";
import { dashboardApp as text } from "../../../src/i18n/pt-BR/dashboard-app.ts";

/**
 * "Dados de há N s" for figures read from a replica at least a second behind the primary, in whole
 * seconds; null when caught up, under a second behind, or read from the primary.
 */
export function replicaLagNotice(lag: ReplicaLag): string | null {
  const seconds = Math.floor(lag.replicaLagSeconds ?? 0);
  return seconds < 1 ? null : text.replicaLag(seconds);
}
