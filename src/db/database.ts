import type { Kysely, Transaction } from "kysely";
import type { DunningActionTable } from "../modules/actions/action.table.ts";
import type {
  AgreementCreditTable,
  AgreementImputationTable,
  AgreementInstallmentTable,
  AgreementInvoiceTable,
  AgreementSettingsTable,
  AgreementTable,
} from "../modules/agreements/agreement.table.ts";
import type { AuditLogTable, IdempotencyKeyTable } from "../modules/audit/audit.table.ts";
import type { BankAccountTable } from "../modules/bank-accounts/bank-account.table.ts";
import type { BankFileRecordTable, BankFileTable } from "../modules/bank-files/bank-file.table.ts";
import type { BulkJobTable } from "../modules/bulk-jobs/bulk-job.table.ts";
import type {
  CampaignOfferInvoiceTable,
  CampaignOfferTable,
  CampaignTable,
} from "../modules/campaigns/campaign.table.ts";
import type { ContractTable } from "../modules/contracts/contract.table.ts";
import type { ContactChangeTable, ContactTable, CustomerTable } from "../modules/customers/customer.table.ts";
import type { DailyRunTable } from "../modules/daily-run/daily-run.table.ts";
import type { CustomerInteractionTable } from "../modules/dashboard/interaction.table.ts";
import type { ExperimentAssignmentTable, ExperimentTable } from "../modules/experiments/experiment.table.ts";
import type {
  CustomerGroupMemberTable,
  CustomerGroupTable,
  GroupSettingsTable,
} from "../modules/groups/group.table.ts";
import type { ImportJobTable } from "../modules/imports/import-job.table.ts";
import type { InvoiceTable } from "../modules/invoices/invoice.table.ts";
import type {
  AnalystTaskTable,
  CapturedMessageTable,
  MessageTable,
  ShortLinkTable,
} from "../modules/messages/message.table.ts";
import type {
  OperatorSessionTable,
  OperatorSignInAttemptTable,
  OperatorTable,
} from "../modules/operators/operator.table.ts";
import type { PaymentTable } from "../modules/payments/payment.table.ts";
import type {
  PixChargeTable,
  PixReceivedTable,
  PixRecurrenceTable,
  PixRecurringChargeTable,
  PixRefundTable,
  PixSettingsTable,
} from "../modules/pix/pix.table.ts";
import type {
  PlanCatalogueTable,
  PlanChangeRequestTable,
} from "../modules/plan-changes/plan-change.table.ts";
import type {
  ContactWindowTable,
  PlannerRunTable,
  PolicyAssignmentTable,
  PolicyStepTable,
  PolicyTable,
} from "../modules/policies/policy.table.ts";
import type {
  PortalAttemptTable,
  PortalContactCodeTable,
  PortalKeyTable,
  PortalSessionTable,
} from "../modules/portal/portal.table.ts";
import type { ReconciliationItemTable } from "../modules/reconciliation/reconciliation.table.ts";
import type { InvoiceScoreTable, PaymentModelTable } from "../modules/scores/score.table.ts";
import type {
  CustomerPauseTable,
  DomainEventTable,
  StandingDecisionTable,
  StandingStaleCustomerTable,
  StandingTable,
  StandingTransitionTable,
} from "../modules/standing/standing.table.ts";
import type { MessageTemplateTable, MessagingSettingsTable } from "../modules/templates/template.table.ts";
import type { ApiKeyTable, TenantTable } from "../modules/tenants/tenant.table.ts";
import type { TicketCommentTable, TicketTable } from "../modules/tickets/ticket.table.ts";
import type {
  PaymentGatewayTable,
  StandingTokenTable,
  WebhookAttemptTable,
  WebhookDeliveryTable,
  WebhookEndpointTable,
  WebhookOutboxCursorTable,
} from "../modules/webhooks/webhook.table.ts";
import type { RateBucketTable } from "./rate-buckets.ts";

/** Every table the product reads or writes, by name; each module owns its `*.table.ts`. */
export interface Database {
  tenants: TenantTable;
  api_keys: ApiKeyTable;
  customers: CustomerTable;
  customer_interactions: CustomerInteractionTable;
  contacts: ContactTable;
  contact_changes: ContactChangeTable;
  contracts: ContractTable;
  invoices: InvoiceTable;
  payments: PaymentTable;
  operators: OperatorTable;
  operator_sessions: OperatorSessionTable;
  operator_sign_in_attempts: OperatorSignInAttemptTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeyTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  webhook_outbox_cursor: WebhookOutboxCursorTable;
  payment_gateways: PaymentGatewayTable;
  standing_tokens: StandingTokenTable;
  import_jobs: ImportJobTable;
  bulk_jobs: BulkJobTable;
  policies: PolicyTable;
  policy_steps: PolicyStepTable;
  policy_assignments: PolicyAssignmentTable;
  planner_runs: PlannerRunTable;
  daily_runs: DailyRunTable;
  contact_windows: ContactWindowTable;
  customer_pauses: CustomerPauseTable;
  dunning_actions: DunningActionTable;
  standings: StandingTable;
  standing_decisions: StandingDecisionTable;
  standing_stale_customers: StandingStaleCustomerTable;
  standing_transitions: StandingTransitionTable;
  domain_events: DomainEventTable;
  message_templates: MessageTemplateTable;
  messaging_settings: MessagingSettingsTable;
  messages: MessageTable;
  short_links: ShortLinkTable;
  captured_messages: CapturedMessageTable;
  analyst_tasks: AnalystTaskTable;
  portal_keys: PortalKeyTable;
  portal_attempts: PortalAttemptTable;
  portal_sessions: PortalSessionTable;
  portal_contact_codes: PortalContactCodeTable;
  tickets: TicketTable;
  ticket_comments: TicketCommentTable;
  customer_groups: CustomerGroupTable;
  customer_group_members: CustomerGroupMemberTable;
  group_settings: GroupSettingsTable;
  agreement_settings: AgreementSettingsTable;
  plan_catalogues: PlanCatalogueTable;
  plan_change_requests: PlanChangeRequestTable;
  agreements: AgreementTable;
  agreement_invoices: AgreementInvoiceTable;
  agreement_installments: AgreementInstallmentTable;
  agreement_imputations: AgreementImputationTable;
  agreement_credits: AgreementCreditTable;
  rate_buckets: RateBucketTable;
  bank_accounts: BankAccountTable;
  bank_files: BankFileTable;
  bank_file_records: BankFileRecordTable;
  reconciliation_items: ReconciliationItemTable;
  pix_settings: PixSettingsTable;
  pix_charges: PixChargeTable;
  pix_received: PixReceivedTable;
  pix_refunds: PixRefundTable;
  pix_recurrences: PixRecurrenceTable;
  pix_recurring_charges: PixRecurringChargeTable;
  payment_models: PaymentModelTable;
  invoice_scores: InvoiceScoreTable;
  experiments: ExperimentTable;
  experiment_assignments: ExperimentAssignmentTable;
  campaigns: CampaignTable;
  campaign_offers: CampaignOfferTable;
  campaign_offer_invoices: CampaignOfferInvoiceTable;
}

/** Repository functions take either the database or a transaction: the caller owns the transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
