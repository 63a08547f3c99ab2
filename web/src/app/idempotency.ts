import { useCallback, useState } from "react";

/** A fresh Idempotency-Key: random, 122 bits (a UUID v4 where the browser offers it). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // outside a secure context (plain http on a LAN address) randomUUID is missing
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The key of the action a form is showing: made once when the form is rendered, sent with every
 * click on it, so a double click or a resend is one action on the server; `renew()` after the
 * action went through readies the form for the next one.
 */
export function useIdempotencyKey(): { key: string; renew(): void } {
  const [key, setKey] = useState(newIdempotencyKey);
  const renew = useCallback(() => setKey(newIdempotencyKey()), []);
  return { key, renew };
}
