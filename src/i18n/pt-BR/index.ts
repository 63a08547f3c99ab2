/**
 * The one message catalogue: everything an operator or a debtor reads on a page, in Brazilian
 * Portuguese, one file per area. Server-rendered pages and the dashboard (through Vite) both
 * import from here.
 */
export { dashboardApp } from "./dashboard-app.ts";
export { dashboardCustomers } from "./dashboard-customers.ts";
export { dashboardPanel } from "./dashboard-panel.ts";
export { dashboardPolicies } from "./dashboard-policies.ts";
export { dashboardReports } from "./dashboard-reports.ts";
export { dashboardWork } from "./dashboard-work.ts";
export { effectiveness, experimentsText, reasonText } from "./effectiveness.ts";
export { portal } from "./portal.ts";
