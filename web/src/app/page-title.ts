import { useEffect } from "react";
import { dashboardApp } from "../../../src/i18n/pt-BR/dashboard-app.ts";

/** Each page names itself in the tab title (screen readers announce it on navigation). */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = dashboardApp.documentTitle(title);
  }, [title]);
}
