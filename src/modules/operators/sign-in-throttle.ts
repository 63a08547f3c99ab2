import type { Executor } from "../../db/database.ts";
import { lockSignInAttempts, saveSignInAttempt } from "./operator.repository.ts";
import type { OperatorSignInAttemptRow } from "./operator.table.ts";

/**
 * Glossary: the dashboard's sign-in throttle counts wrong passwords per account (the e-mail tried)
 * and per client IP within a tenant. At the limit inside the window the key is locked for
 * `lockMinutes`, and every sign-in through a locked key — right password or wrong — is refused
 * until then, as the portal does with its identity check. A right password clears the account's
 * count (not the IP's: one right password must not unlock a spray of guesses from the same place).
 */
export const SIGN_IN_POLICY = {
  accountFailures: 5,
  ipFailures: 20,
  windowMinutes: 15,
  lockMinutes: 15,
} as const;

const MINUTE = 60_000;

export type SignInGate = { open: true; rows: OperatorSignInAttemptRow[] } | { open: false; until: Date };

/** A row as of `now`: a window or lock that has passed starts afresh. */
function current(row: OperatorSignInAttemptRow, now: Date): OperatorSignInAttemptRow {
  const lockOver = row.locked_until !== null && row.locked_until <= now;
  const windowOver = row.window_started_at.getTime() + SIGN_IN_POLICY.windowMinutes * MINUTE <= now.getTime();
  return lockOver || (row.locked_until === null && windowOver)
    ? { ...row, failures: 0, window_started_at: now, locked_until: null }
    : row;
}

/** Locks the account's and the IP's rows (for the caller's transaction) and says whether they are open. */
export async function openSignInGate(
  trx: Executor,
  tenantId: string,
  attempt: { email: string; ip: string | null },
  now: Date,
): Promise<SignInGate> {
  const keys: { scope: "account" | "ip"; key: string }[] = [{ scope: "account", key: attempt.email }];
  if (attempt.ip) keys.push({ scope: "ip", key: attempt.ip });
  const rows = (await lockSignInAttempts(trx, tenantId, keys, now)).map((row) => current(row, now));
  const locks = rows.flatMap((row) => (row.locked_until && row.locked_until > now ? [row.locked_until] : []));
  if (locks.length > 0) return { open: false, until: new Date(Math.max(...locks.map((at) => at.getTime()))) };
  return { open: true, rows };
}

/** Counts a wrong password on every key; returns when the sign-in locked, if it did. */
export async function recordSignInFailure(
  trx: Executor,
  rows: OperatorSignInAttemptRow[],
  now: Date,
): Promise<Date | null> {
  let lockedUntil: Date | null = null;
  for (const row of rows) {
    const failures = row.failures + 1;
    const limit = row.scope === "account" ? SIGN_IN_POLICY.accountFailures : SIGN_IN_POLICY.ipFailures;
    const locks = failures >= limit ? new Date(now.getTime() + SIGN_IN_POLICY.lockMinutes * MINUTE) : null;
    if (locks) lockedUntil = locks;
    await saveSignInAttempt(trx, { ...row, failures, locked_until: locks });
  }
  return lockedUntil;
}

/** A right password: the account's count starts again. */
export async function recordSignInSuccess(
  trx: Executor,
  rows: OperatorSignInAttemptRow[],
  now: Date,
): Promise<void> {
  const account = rows.find((row) => row.scope === "account");
  if (account)
    await saveSignInAttempt(trx, { ...account, failures: 0, window_started_at: now, locked_until: null });
}
