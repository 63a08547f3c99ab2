import type { Executor } from "../../db/database.ts";
import { addDays, formatBrazilianDate } from "../../domain/dates.ts";
import { campaignsText as t } from "../../i18n/pt-BR/campaigns.ts";
import { findCampaignsByIds } from "./campaign.repository.ts";
import type { CampaignOfferTerms } from "./campaign.ts";

/**
 * What a campaign's offer message needs beyond any message's data: the offer's summary, its date and
 * the portal link's purpose and expiry (the end of the last day the offer is valid, in the
 * creditor's zone). The message pipeline calls this; campaigns plan the messages.
 */

const GROUP_KEY_PREFIX = "campaign:";

/** A campaign message's group key: one message per campaign, customer and channel. */
export function offerGroupKey(campaignId: string, customerId: string, channel: string): string {
  return `${GROUP_KEY_PREFIX}${campaignId}:${customerId}:${channel}`;
}

/** The campaign a message's group key names, or null for any other message. */
export function campaignOfGroupKey(groupKey: string): string | null {
  return groupKey.startsWith(GROUP_KEY_PREFIX)
    ? groupKey.slice(GROUP_KEY_PREFIX.length, GROUP_KEY_PREFIX.length + 36)
    : null;
}

/** What an offer says in a message and on the portal ("parcelamento em até 6x, sem multa e juros"). */
export function offerSummary(terms: CampaignOfferTerms): string {
  const percent =
    terms.principalDiscountBps > 0
      ? `${(terms.principalDiscountBps / 100).toLocaleString("pt-BR", { maximumFractionDigits: 2 })}%`
      : null;
  return t.summary(terms.installments, percent, terms.waiveFine || terms.waiveInterest);
}

export interface OfferOfMessage {
  campaignId: string;
  summary: string;
  /** dd/mm/aaaa */
  validUntil: string;
  /** the link's expiry: the day after the last valid day, at midnight in the creditor's zone */
  linkExpiresAt: Date;
}

/** The offers a batch of messages speaks of, by campaign id (one query; none without campaign messages). */
export async function offersOfMessages(
  db: Executor,
  tenantId: string,
  groupKeys: string[],
  endOfDay: (date: string) => Date,
): Promise<Map<string, OfferOfMessage>> {
  const ids = [...new Set(groupKeys.map(campaignOfGroupKey).filter((id): id is string => id !== null))];
  const rows = await findCampaignsByIds(db, tenantId, ids);
  return new Map(
    rows.map((row) => [
      row.id,
      {
        campaignId: row.id,
        summary: offerSummary(row.terms as CampaignOfferTerms),
        validUntil: formatBrazilianDate(row.valid_until),
        linkExpiresAt: endOfDay(addDays(row.valid_until, 1)),
      },
    ]),
  );
}
