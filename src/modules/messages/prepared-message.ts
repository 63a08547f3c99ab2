import type { OutgoingMessage } from "../../channels/channel.ts";
import type { MessageOutcome } from "./message.repository.ts";
import type { MessageRow } from "./message.table.ts";

/**
 * A claimed message after preparation: its outcome so far (skipped, failed to render, or done
 * without a provider: letters and tasks) and, when a provider must be called, what to send.
 */
export interface Prepared {
  row: MessageRow;
  outcome: MessageOutcome;
  outgoing: OutgoingMessage | null;
  /** the end of the step's contact window: no send, nor retry, after it */
  sendUntil: Date | null;
}

/** A message not yet decided: skipped with no reason until preparation says otherwise. */
export function undecided(tenantId: string, row: MessageRow): Prepared {
  return {
    row,
    outgoing: null,
    sendUntil: null,
    outcome: {
      tenantId,
      id: row.id,
      claim: row.attempts,
      groupKey: row.group_key,
      state: "skipped",
      reason: null,
      skipCode: null,
      nextAttemptAt: null,
      contactId: null,
      recipient: null,
      provider: null,
      providerMessageId: null,
      costCents: 0,
      segments: null,
      subject: null,
      body: null,
      data: null,
    },
  };
}

/** Records a skip with its code (SKIP_REASONS) and the reason the team reads. */
export function skip(entry: Prepared, code: string, reason: string): void {
  entry.outcome.state = "skipped";
  entry.outcome.skipCode = code;
  entry.outcome.reason = reason;
}

/** Records a failure that no retry will fix (a missing or broken template). */
export function fail(entry: Prepared, reason: string): void {
  entry.outcome.state = "failed";
  entry.outcome.reason = reason;
}
