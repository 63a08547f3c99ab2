import { fieldReason } from "../../../../src/shared/field-messages.ts";
import type { ApiError } from "../api.ts";

/**
 * The server's refusal of one field, in words, to show beside that field: its message without the
 * field's label ("Parcelas: no máximo 24 parcelas…" → "no máximo 24 parcelas…"), since the
 * field's own label already says which one it is.
 */
export function reasonFor(error: ApiError | null, field: string): string | null {
  if (!error || error.field !== field) return null;
  return fieldReason(field, error.message);
}

/** The message under a field, announced when it appears; `id` is what the input's aria-describedby names. */
export function FieldError({ id, message }: { id: string; message: string | null }) {
  if (!message) return null;
  return (
    <span id={id} className="field-error" role="alert">
      {message}
    </span>
  );
}
