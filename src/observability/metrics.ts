import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * Glossary: the process's metrics, in Prometheus's text format at `/metrics` (metrics.routes.ts).
 * Counters and histograms are per process (Prometheus sums the processes it scrapes); what lives in
 * the database — queue depth and age — is read at scrape time (queue-metrics.ts), so every process
 * answers the same. Labels carry tenant slugs, channels and providers, never personal data.
 * docs/operations.md lists each metric with alert rules.
 */
export const metricsRegistry = new Registry();

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const RUN_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const LAG_BUCKETS = [0.5, 1, 5, 15, 60, 300, 900, 3600, 6 * 3600, 24 * 3600];

export const httpRequestDuration = new Histogram({
  name: "regua_http_request_duration_seconds",
  help: "HTTP request latency by route pattern, method and status class",
  labelNames: ["method", "route", "status"] as const,
  buckets: SECONDS_BUCKETS,
  registers: [metricsRegistry],
});

export const dailyRunStepDuration = new Histogram({
  name: "regua_daily_run_step_duration_seconds",
  help: "Duration of each step of a tenant's daily run (agreements, catch_up, planner, overdue_events, standing)",
  labelNames: ["tenant", "step"] as const,
  buckets: RUN_BUCKETS,
  registers: [metricsRegistry],
});

export const dailyRunsTotal = new Counter({
  name: "regua_daily_runs_total",
  help: "Daily runs finished, by tenant and status (done, failed)",
  labelNames: ["tenant", "status"] as const,
  registers: [metricsRegistry],
});

export const dailyRunLastSuccess = new Gauge({
  name: "regua_daily_run_last_success_timestamp_seconds",
  help: "When a tenant's daily run last committed (Unix time): alert when it falls a day behind",
  labelNames: ["tenant"] as const,
  registers: [metricsRegistry],
});

export const messagesTotal = new Counter({
  name: "regua_messages_total",
  help: "Message attempts by channel, provider and outcome (sent, retried, failed, bounced, skipped)",
  labelNames: ["channel", "provider", "outcome"] as const,
  registers: [metricsRegistry],
});

export const webhookDeliveryLag = new Histogram({
  name: "regua_webhook_delivery_lag_seconds",
  help: "From an event's delivery being created to the endpoint accepting it",
  buckets: LAG_BUCKETS,
  registers: [metricsRegistry],
});

export const webhookAttemptsTotal = new Counter({
  name: "regua_webhook_attempts_total",
  help: "Webhook delivery attempts by outcome (delivered, pending = will retry, failed = gave up)",
  labelNames: ["outcome"] as const,
  registers: [metricsRegistry],
});

export const bankFileRecordsTotal = new Counter({
  name: "regua_bank_file_records_total",
  help: "CNAB return records applied, by canonical event",
  labelNames: ["event"] as const,
  registers: [metricsRegistry],
});

export const importRowsTotal = new Counter({
  name: "regua_import_rows_total",
  help: "CSV rows imported, by kind and result (imported, rejected)",
  labelNames: ["kind", "result"] as const,
  registers: [metricsRegistry],
});

/** Times `work` into `histogram` with `labels`, also when it throws. */
export async function timed<T, L extends string>(
  histogram: Histogram<L>,
  labels: Partial<Record<L, string>>,
  work: () => Promise<T>,
): Promise<T> {
  const stop = histogram.startTimer(labels);
  try {
    return await work();
  } finally {
    stop();
  }
}
