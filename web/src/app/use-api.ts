import { useCallback, useEffect, useState } from "react";
import { ApiError, api } from "./api.ts";

export type Loaded<T> =
  | { status: "loading"; data: undefined; error: undefined }
  | { status: "ready"; data: T; error: undefined }
  | { status: "failed"; data: undefined; error: ApiError };

/** Reads `path` from the API (again when `path` changes or `reload()` is called). */
export function useApiData<T>(path: string | null): Loaded<T> & { reload(): void } {
  const [state, setState] = useState<Loaded<T>>({ status: "loading", data: undefined, error: undefined });
  const [version, setVersion] = useState(0);
  const [shownPath, setShownPath] = useState(path);
  // another path (another customer): show nothing of the previous one; a reload keeps it on screen
  if (shownPath !== path) {
    setShownPath(path);
    setState({ status: "loading", data: undefined, error: undefined });
  }
  useEffect(() => {
    if (path === null) return;
    let cancelled = false;
    void version;
    api
      .get<T>(path)
      .then((data) => {
        if (!cancelled) setState({ status: "ready", data, error: undefined });
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        const failure =
          error instanceof ApiError ? error : new ApiError(0, "unexpected", String(error), null);
        setState({ status: "failed", data: undefined, error: failure });
      });
    return () => {
      cancelled = true;
    };
  }, [path, version]);
  const reload = useCallback(() => setVersion((value) => value + 1), []);
  return { ...state, reload };
}
