import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { BulkJobKind, BulkJobRow } from "./bulk-job.table.ts";
import type { BulkJobError } from "./bulk-job.ts";

/** What the job's list of errors keeps at most: enough to act on, never a copy of the selection. */
export const MAX_STORED_ERRORS = 200;

export async function insertBulkJob(
  db: Executor,
  job: {
    tenantId: string;
    kind: BulkJobKind;
    input: unknown;
    total: number;
    createdBy: string | null;
    now: Date;
  },
): Promise<BulkJobRow> {
  return db
    .insertInto("bulk_jobs")
    .values({
      tenant_id: job.tenantId,
      kind: job.kind,
      input: JSON.stringify(job.input),
      total: job.total,
      created_by: job.createdBy,
      created_at: job.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findBulkJob(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<BulkJobRow | undefined> {
  return db
    .selectFrom("bulk_jobs")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/**
 * Takes the oldest job waiting, or one whose worker stopped renewing its lease (a crash), for
 * `leaseMs`; workers skip each other's locked rows. Across tenants, like the dispatcher: the
 * queue is the product's, each job then works inside its own tenant.
 */
export async function lockNextBulkJob(
  db: Executor,
  now: Date,
  leaseMs: number,
): Promise<BulkJobRow | undefined> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const result = await sql<BulkJobRow>`
    update bulk_jobs j set state = 'running', started_at = coalesce(j.started_at, ${now}),
      lease_until = ${leaseUntil}, attempts = j.attempts + 1
    from (select tenant_id, id from bulk_jobs
          where state = 'queued' or (state = 'running' and lease_until < ${now})
          order by created_at limit 1 for update skip locked) next
    where j.tenant_id = next.tenant_id and j.id = next.id
    returning j.*`.execute(db);
  return result.rows[0];
}

/** Records a chunk's progress (in the chunk's transaction) and renews the lease. */
export async function advanceBulkJob(
  db: Executor,
  job: { tenantId: string; id: string },
  progress: { items: number; errors: BulkJobError[]; result: unknown; now: Date; leaseMs: number },
): Promise<void> {
  const errors = JSON.stringify(progress.errors.map(({ customerId, message }) => ({ customerId, message })));
  await sql`
    update bulk_jobs set done = least(total, done + ${progress.items}),
      errors = case when jsonb_array_length(errors) >= ${MAX_STORED_ERRORS} then errors
                    else errors || ${errors}::jsonb end,
      result = ${JSON.stringify(progress.result)}::jsonb,
      lease_until = ${new Date(progress.now.getTime() + progress.leaseMs)}
    where tenant_id = ${job.tenantId} and id = ${job.id}`.execute(db);
}

export async function finishBulkJob(
  db: Executor,
  job: { tenantId: string; id: string },
  outcome: {
    result: unknown;
    errors?: BulkJobError[];
    file?: { name: string; type: string; content: Buffer };
    now: Date;
  },
): Promise<void> {
  const errors = JSON.stringify(
    (outcome.errors ?? []).map(({ customerId, message }) => ({ customerId, message })),
  );
  await sql`
    update bulk_jobs set state = 'done', done = total, result = ${JSON.stringify(outcome.result)}::jsonb,
      errors = case when jsonb_array_length(errors) >= ${MAX_STORED_ERRORS} then errors
                    else errors || ${errors}::jsonb end,
      file_name = ${outcome.file?.name ?? null}, file_type = ${outcome.file?.type ?? null},
      file_content = ${outcome.file?.content ?? null}, finished_at = ${outcome.now}, lease_until = null
    where tenant_id = ${job.tenantId} and id = ${job.id}`.execute(db);
}

export async function failBulkJob(
  db: Executor,
  job: { tenantId: string; id: string },
  failure: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable("bulk_jobs")
    .set({ state: "failed", failure, finished_at: now, lease_until: null })
    .where("tenant_id", "=", job.tenantId)
    .where("id", "=", job.id)
    .execute();
}

/** The names of the customers an error list names, for the operator. */
export async function customerNames(
  db: Executor,
  tenantId: string,
  customerIds: string[],
): Promise<Map<string, string>> {
  if (customerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("customers")
    .select(["id", "name"])
    .where("tenant_id", "=", tenantId)
    .where("id", "in", customerIds)
    .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** The job's row, locked for a chunk's transaction: two workers on one job take turns, never a chunk twice. */
export async function lockBulkJob(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<BulkJobRow | undefined> {
  return db
    .selectFrom("bulk_jobs")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

/** The file's progress (and the lease renewed: a long print is a live job, not a dead one). */
export async function recordFileProgress(
  db: Executor,
  job: { tenantId: string; id: string },
  progress: { total?: number; done: number; now: Date; leaseMs: number },
): Promise<void> {
  await db
    .updateTable("bulk_jobs")
    .set({
      ...(progress.total !== undefined ? { file_total: progress.total } : {}),
      file_done: progress.done,
      lease_until: new Date(progress.now.getTime() + progress.leaseMs),
    })
    .where("tenant_id", "=", job.tenantId)
    .where("id", "=", job.id)
    .execute();
}
