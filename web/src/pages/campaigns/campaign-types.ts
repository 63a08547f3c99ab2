/** The API's campaign shapes as the pages read them (see src/modules/campaigns/campaign.ts). */
export type {
  Campaign,
  CampaignCreated,
  CampaignResults,
  TCreateCampaign,
} from "../../../../src/modules/campaigns/campaign.ts";

/** What the form needs of `GET /v1/groups`. */
export interface GroupName {
  id: string;
  name: string;
}
