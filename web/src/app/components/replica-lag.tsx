import type { ReplicaLag } from "../../../../src/http/replica-lag.ts";
import { dashboardApp as text } from "../../../../src/i18n/pt-BR/dashboard-app.ts";

/**
 * "Dados de há N s" above figures read from a replica at least a second behind the primary (the
 * panel, reports); nothing when caught up or read from the primary (`replicaLagSeconds` null).
 */
export function ReplicaLagNotice({ lag }: { lag: ReplicaLag }) {
  const seconds = Math.floor(lag.replicaLagSeconds ?? 0);
  if (seconds < 1) return null;
  return (
    <p className="notice" role="status" data-testid="replica-lag">
      {text.replicaLag(seconds)}
    </p>
  );
}
