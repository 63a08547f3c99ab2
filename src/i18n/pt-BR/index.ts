/**
 * The one message catalogue: everything an operator or a debtor reads on a page, in Brazilian
 * Portuguese, one file per area. Server-rendered pages and the dashboard (through Vite) both
 * import from here.
 */

export { campaignsText } from "./campaigns.ts";
export { cli } from "./cli.ts";
export { dashboardAgreements } from "./dashboard-agreements.ts";
export { dashboardApp } from "./dashboard-app.ts";
export { dashboardCampaigns } from "./dashboard-campaigns.ts";
export { dashboardCustomers } from "./dashboard-customers.ts";
export { dashboardExperiments } from "./dashboard-experiments.ts";
export { dashboardPanel } from "./dashboard-panel.ts";
export { dashboardPolicies } from "./dashboard-policies.ts";
export { dashboardReports } from "./dashboard-reports.ts";
export { dashboardWork } from "./dashboard-work.ts";
export { dispatchReasons } from "./dispatch.ts";
export { effectiveness, experimentsText, reasonText } from "./effectiveness.ts";
export { faults } from "./faults.ts";
export { jobs } from "./jobs.ts";
export { openDebt } from "./open-debt.ts";
export { portal } from "./portal.ts";
export { portalPix } from "./portal-pix.ts";
export { signIn } from "./sign-in.ts";
export { standing, standingNames } from "./standing.ts";
