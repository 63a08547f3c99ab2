import { sql } from "kysely";
import { Gauge, Registry } from "prom-client";
import type { DatabaseHandle } from "../db/connect.ts";

/**
 * What a scrape reads from the database itself: the message queue's depth and the age of its
 * oldest due message, by channel (every process answers the same, so alert on max, not sum), and
 * this process's connection pool. A fresh registry per scrape, merged with the process's counters
 * (metrics.ts), so several servers in one process (tests) each answer for their own database.
 */
export async function scrapeRegistry(handle: DatabaseHandle, now: Date): Promise<Registry> {
  const registry = new Registry();
  const depth = new Gauge({
    name: "regua_queue_depth",
    help: "Messages waiting to be sent (queued or being sent), by channel",
    labelNames: ["channel"] as const,
    registers: [registry],
  });
  const oldest = new Gauge({
    name: "regua_queue_oldest_age_seconds",
    help: "Age of the oldest message due and not yet sent, by channel: alert when it grows",
    labelNames: ["channel"] as const,
    registers: [registry],
  });
  for (const row of await queueByChannel(handle, now)) {
    depth.set({ channel: row.channel }, row.depth);
    oldest.set({ channel: row.channel }, row.oldest_age_seconds);
  }
  const pool = handle.poolUse?.();
  if (pool) {
    const connections = new Gauge({
      name: "regua_db_pool_connections",
      help: "Database connections of this process, by state (in_use, idle, waiting = callers waiting for one, max)",
      labelNames: ["database", "state"] as const,
      registers: [registry],
    });
    for (const [state, value] of Object.entries(pool))
      connections.set({ database: handle.kind, state }, value);
  }
  return registry;
}

interface QueueRow {
  channel: string;
  depth: number;
  oldest_age_seconds: number;
}

async function queueByChannel(handle: DatabaseHandle, now: Date): Promise<QueueRow[]> {
  // across tenants on purpose: an operator's view of the machine, with no tenant's data in it
  const result = await sql<QueueRow>`
    select channel,
           count(*)::int as depth,
           coalesce(extract(epoch from ${now}::timestamptz - min(next_attempt_at)
             filter (where next_attempt_at <= ${now}::timestamptz)), 0)::float8 as oldest_age_seconds
    from messages
    where state in ('queued', 'sending')
    group by channel`.execute(handle.db);
  return result.rows.map((row) => ({
    ...row,
    depth: Number(row.depth),
    oldest_age_seconds: Number(row.oldest_age_seconds),
  }));
}
