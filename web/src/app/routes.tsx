import type { ReactNode } from "react";
import { dashboardBank } from "../../../src/i18n/pt-BR/dashboard-bank.ts";
import { dashboardCampaigns } from "../../../src/i18n/pt-BR/dashboard-campaigns.ts";
import { dashboardExperiments } from "../../../src/i18n/pt-BR/dashboard-experiments.ts";
import { dashboardPanel } from "../../../src/i18n/pt-BR/dashboard-panel.ts";
import { dashboardPolicies } from "../../../src/i18n/pt-BR/dashboard-policies.ts";
import { dashboardReports } from "../../../src/i18n/pt-BR/dashboard-reports.ts";
import { dashboardWork } from "../../../src/i18n/pt-BR/dashboard-work.ts";
import { AgreementPage } from "../pages/agreements/agreement-page.tsx";
import { BankFilesPage } from "../pages/bank/bank-files-page.tsx";
import { CampaignPage } from "../pages/campaigns/campaign-page.tsx";
import { CampaignsPage } from "../pages/campaigns/campaigns-page.tsx";
import { CustomerListPage } from "../pages/customers/customer-list-page.tsx";
import { CustomerPage } from "../pages/customers/customer-page.tsx";
import { ExperimentPage } from "../pages/experiments/experiment-page.tsx";
import { ExperimentsPage } from "../pages/experiments/experiments-page.tsx";
import { GroupPage } from "../pages/groups/group-page.tsx";
import { GroupsPage } from "../pages/groups/groups-page.tsx";
import { PanelPage } from "../pages/panel/panel-page.tsx";
import { PolicyPage } from "../pages/policies/policy-page.tsx";
import { QueuePage } from "../pages/queue/queue-page.tsx";
import { ReportsPage } from "../pages/reports/reports-page.tsx";
import { TicketPage } from "../pages/tickets/ticket-page.tsx";
import { TicketsPage } from "../pages/tickets/tickets-page.tsx";

/**
 * The one route table of the dashboard. Each area adds its lines here: `path` is relative to
 * /app/ and `label` (optional) puts the page in the top navigation, in table order.
 */
export interface AppRoute {
  path: string;
  element: ReactNode;
  label?: string;
}

export const routes: AppRoute[] = [
  { path: "/", element: <PanelPage />, label: dashboardPanel.navLabel },
  { path: "/clientes/:customerId", element: <CustomerPage /> },
  { path: "/clientes", element: <CustomerListPage />, label: dashboardWork.nav.customers },
  { path: "/acordos/:agreementId", element: <AgreementPage /> },
  { path: "/fila", element: <QueuePage />, label: dashboardWork.nav.queue },
  { path: "/tickets", element: <TicketsPage />, label: dashboardWork.nav.tickets },
  { path: "/tickets/:ticketId", element: <TicketPage /> },
  { path: "/grupos", element: <GroupsPage />, label: dashboardWork.nav.groups },
  { path: "/grupos/:groupId", element: <GroupPage /> },
  { path: "/relatorios", element: <ReportsPage />, label: dashboardReports.pageTitle },
  { path: "/regua", element: <PolicyPage />, label: dashboardPolicies.pageTitle },
  { path: "/experimentos", element: <ExperimentsPage />, label: dashboardExperiments.nav },
  { path: "/experimentos/:experimentId", element: <ExperimentPage /> },
  { path: "/campanhas", element: <CampaignsPage />, label: dashboardCampaigns.nav },
  { path: "/campanhas/:campaignId", element: <CampaignPage /> },
  { path: "/banco", element: <BankFilesPage />, label: dashboardBank.nav },
];

export const navigation = routes.flatMap((route) =>
  route.label ? [{ path: route.path, label: route.label }] : [],
);
