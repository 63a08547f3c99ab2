import { dashboardApp as text } from "../../../../src/i18n/pt-BR/dashboard-app.ts";

/**
 * Above figures read from a rollup that a budgeted catch-up left behind (the first fold after an
 * upgrade, say): how many customers' changes are not in them yet. Nothing when up to date.
 */
export function RollupPendingNotice({ customers }: { customers: number | undefined }) {
  if (!customers) return null;
  return (
    <p className="notice" role="status" data-testid="rollup-pending">
      {text.rollupPending(customers)}
    </p>
  );
}
