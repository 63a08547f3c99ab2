import type { Generated, Selectable } from "kysely";

export type CampaignArm = "offer" | "holdout";

export interface CampaignTable {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  selection: unknown;
  terms: unknown;
  actor: unknown;
  channels: string[];
  valid_until: string;
  holdout_bps: number;
  created_on: string;
  created_at: Generated<Date>;
}

export interface CampaignOfferTable {
  tenant_id: string;
  campaign_id: string;
  customer_id: string;
  arm: CampaignArm;
  debt_cents: number | string;
  agreement_id: string | null;
  accepted_at: Date | null;
}

export interface CampaignOfferInvoiceTable {
  tenant_id: string;
  campaign_id: string;
  customer_id: string;
  invoice_id: string;
}

export type CampaignRow = Selectable<CampaignTable>;
export type CampaignOfferRow = Selectable<CampaignOfferTable>;
