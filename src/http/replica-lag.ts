import { z } from "zod";
import type { ReadDatabase } from "../db/read-replica.ts";
import { errorField, log } from "../observability/log.ts";

/**
 * The lag a response read from the replica carries, so that the dashboard can say "dados de há
 * 3 s": seconds behind the primary, 0 when caught up, null when the data came from the primary.
 */
export const ZReplicaLag = z.object({ replicaLagSeconds: z.number().nonnegative().nullable() });
export type ReplicaLag = z.infer<typeof ZReplicaLag>;

export async function replicaLagOf(reads: ReadDatabase): Promise<ReplicaLag> {
  if (!reads.replica) return { replicaLagSeconds: null };
  try {
    return { replicaLagSeconds: await reads.lagSeconds() };
  } catch (error) {
    // the figures were read; not knowing their age is no reason to withhold them
    log.warn({ err: errorField(error) }, "read replica lag unknown");
    return { replicaLagSeconds: null };
  }
}
