import type { ReactNode } from "react";
import { dashboardApp } from "../../../src/i18n/pt-BR/dashboard-app.ts";
import type { ApiError } from "./api.ts";
import type { Loaded } from "./use-api.ts";

/** Small pieces every page uses: the loading line, the error box, a loaded-data switch. */
export function Loading() {
  return (
    <p className="loading" role="status">
      {dashboardApp.loading}
    </p>
  );
}

export function ErrorBox({ error, title }: { error: ApiError | string; title?: string }) {
  return (
    <div className="error-box" role="alert">
      {title ? <strong>{title}: </strong> : null}
      {typeof error === "string" ? error : error.message}
    </div>
  );
}

export function WhenLoaded<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  if (loaded.status === "loading") return <Loading />;
  if (loaded.status === "failed") return <ErrorBox error={loaded.error} />;
  return <>{children(loaded.data)}</>;
}
