import type { ApiError } from "../api.ts";
import { ErrorBox } from "../ui.tsx";

/** What the last action came to: the API's error as an alert, or its notice as a status line. */
export function FormOutcome({ error, notice }: { error: ApiError | string | null; notice: string | null }) {
  return (
    <>
      {error ? <ErrorBox error={error} /> : null}
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
    </>
  );
}
