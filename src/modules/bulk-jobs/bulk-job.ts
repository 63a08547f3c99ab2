import { z } from "zod";
import { ZBatchSend, ZCustomerIds } from "../messages/batch-send.ts";
import { REPORT_NAMES, ZReportQuery } from "../reports/report.ts";
import type { BulkJobKind, BulkJobState } from "./bulk-job.table.ts";

/**
 * Glossary: a bulk job is long work an operator starts from the dashboard — letters for a
 * selection, a batch send, a report export — run in the background by the worker. Its *total* is
 * the number of items (customers; 1 for an export) and *done* how many are through; an item that
 * could not be processed (a customer with no overdue invoice gets no letter) is one of its
 * *errors*, and the job goes on. A finished job has a *result* (a summary) and maybe a *file*.
 */
export interface BulkJobError {
  customerId: string | null;
  /** the customer's name when the error is about one */
  name: string | null;
  message: string;
}

export interface BulkJobView {
  id: string;
  kind: BulkJobKind;
  state: BulkJobState;
  total: number;
  done: number;
  /** whole percent, 0 to 100 (100 only when done), over the items and then the file's pieces */
  percent: number;
  /** the file made piece by piece (the letters' PDF): pieces in of its total */
  file: { total: number; done: number } | null;
  errors: BulkJobError[];
  result: Record<string, unknown> | null;
  /** where to download the file once done (same credentials as the API) */
  fileUrl: string | null;
  fileName: string | null;
  /** why the whole job failed */
  failure: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export const ZLettersJob = z.strictObject({
  customerIds: ZCustomerIds,
  template: z.string().trim().min(1).max(64).default("letter.d+15"),
});
export type TLettersJob = z.output<typeof ZLettersJob>;

/** The batch send of POST /v1/batch-sends, for a selection, without the dry run (count first there). */
export const ZBatchSendJob = ZBatchSend.omit({ dryRun: true, customerIds: true }).extend({
  customerIds: ZCustomerIds,
});
export type TBatchSendJob = z.output<typeof ZBatchSendJob>;

/** Strict: the request is stored as sent, so nothing but these fields is kept. */
export const ZReportExportJob = z.strictObject({
  ...ZReportQuery.shape,
  name: z.enum(REPORT_NAMES, { error: `name: use ${REPORT_NAMES.join(", ")}` }),
  format: z.enum(["csv", "xlsx"], { error: "format: use csv ou xlsx" }).default("xlsx"),
});

export const ZBulkJobParams = z.object({ id: z.uuid() });

export const ZBulkJobView = z.object({
  id: z.string(),
  kind: z.enum(["letters", "batch_send", "report_export"]),
  state: z.enum(["queued", "running", "done", "failed"]),
  total: z.number(),
  done: z.number(),
  percent: z.number(),
  file: z.object({ total: z.number(), done: z.number() }).nullable(),
  errors: z.array(
    z.object({ customerId: z.string().nullable(), name: z.string().nullable(), message: z.string() }),
  ),
  result: z.record(z.string(), z.unknown()).nullable(),
  fileUrl: z.string().nullable(),
  fileName: z.string().nullable(),
  failure: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
