import type { ReplicaLag } from "../../../../src/http/replica-lag.ts";
import { replicaLagNotice } from "../replica-lag.ts";

/** Above the panel's and reports' figures: how old they are, when read from a lagging replica. */
export function ReplicaLagNotice({ lag }: { lag: ReplicaLag }) {
  const notice = replicaLagNotice(lag);
  if (notice === null) return null;
  return (
    <p className="notice" role="status" data-testid="replica-lag">
      {notice}
    </p>
  );
}
