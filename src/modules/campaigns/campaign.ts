import { z } from "zod";
import { SCORE_BANDS } from "../../domain/score-bands.ts";
import { campaignsText as t } from "../../i18n/pt-BR/campaigns.ts";
import { ZBasisPoints, ZIsoDate } from "../../shared/brazilian-fields.ts";
import { MAX_INSTALLMENTS } from "../agreements/agreement.ts";

/**
 * Glossary: a campaign (campanha) offers pre-approved agreement terms — a discount for settling at
 * once, or an installment plan, with fine and interest waived when the author may — to the
 * customers whose overdue debt matches a selection, until a date (validUntil). Each customer
 * chosen is recorded in the OFFER arm (messaged, with a portal link to the offer) or in the HOLDOUT
 * arm (left to the régua, for comparison) by the experiments' stable hash. The debtor ACCEPTS on
 * the portal: the agreement is proposed through the agreements use case, under the limits of the
 * operator (or API key) who made the campaign. RECOVERED is what was paid, from the campaign's
 * start, on the invoices the offer covered or on the installments of the agreement accepted.
 */

export const CAMPAIGN_CHANNELS = ["email", "sms", "whatsapp"] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];

const ZCents = z.number({ error: t.cents }).int({ error: t.cents }).min(0, { error: t.cents });

/** Which overdue debts a campaign is for; every bound optional. */
export const ZCampaignSelection = z
  .object({
    daysOverdueFrom: z.number({ error: t.days }).int({ error: t.days }).min(1, { error: t.days }).default(1),
    daysOverdueTo: z
      .number({ error: t.days })
      .int({ error: t.days })
      .min(1, { error: t.days })
      .nullable()
      .default(null),
    amountFromCents: ZCents.nullable().default(null),
    amountToCents: ZCents.nullable().default(null),
    scoreBands: z.array(z.enum(SCORE_BANDS, { error: t.band })).default([]),
    groupId: z.uuid({ error: t.group }).nullable().default(null),
  })
  .refine((value) => value.daysOverdueTo === null || value.daysOverdueTo >= value.daysOverdueFrom, {
    error: t.daysRange,
    path: ["daysOverdueTo"],
  })
  .refine(
    (value) =>
      value.amountToCents === null ||
      value.amountFromCents === null ||
      value.amountToCents >= value.amountFromCents,
    { error: t.amountRange, path: ["amountToCents"] },
  );
export type CampaignSelection = z.output<typeof ZCampaignSelection>;

/** The agreement terms offered: 0 installments = settlement at once. */
export const ZCampaignOfferTerms = z.object({
  installments: z
    .number({ error: t.installments })
    .int({ error: t.installments })
    .min(0, { error: t.installments })
    .max(MAX_INSTALLMENTS, { error: t.installments }),
  principalDiscountBps: ZBasisPoints.default(0),
  waiveFine: z.boolean().default(false),
  waiveInterest: z.boolean().default(false),
});
export type CampaignOfferTerms = z.output<typeof ZCampaignOfferTerms>;

export const ZCreateCampaign = z.object({
  name: z.string({ error: t.name }).trim().min(1, { error: t.name }).max(100, { error: t.name }),
  selection: ZCampaignSelection.default({
    daysOverdueFrom: 1,
    daysOverdueTo: null,
    amountFromCents: null,
    amountToCents: null,
    scoreBands: [],
    groupId: null,
  }),
  offer: ZCampaignOfferTerms,
  channels: z.array(z.enum(CAMPAIGN_CHANNELS, { error: t.channels })).min(1, { error: t.channels }),
  validUntil: ZIsoDate,
  holdoutPercent: z
    .number({ error: t.holdout })
    .min(0, { error: t.holdout })
    .max(50, { error: t.holdout })
    .default(0),
  /** Only count who would be chosen and what they owe; nothing is written or sent. */
  dryRun: z.boolean().default(false),
});
export type TCreateCampaign = z.input<typeof ZCreateCampaign>;

const ZUplift = z.object({
  difference: z.number(),
  low: z.number(),
  high: z.number(),
  pValue: z.number(),
  significant: z.boolean(),
});

export const ZCampaign = z.object({
  id: z.string(),
  name: z.string(),
  selection: ZCampaignSelection,
  offer: ZCampaignOfferTerms,
  channels: z.array(z.enum(CAMPAIGN_CHANNELS)),
  validUntil: z.string(),
  holdoutPercent: z.number(),
  createdOn: z.string(),
});
export type Campaign = z.infer<typeof ZCampaign>;

/** What creating a campaign did (or, with dryRun, would do). */
export const ZCampaignCreated = z.object({
  campaign: ZCampaign.nullable(),
  /** customers whose debt matched the selection */
  matched: z.number(),
  /** of those, the ones the terms fit (the others are left out, with the first reason) */
  eligible: z.number(),
  excluded: z.array(z.object({ customerId: z.string(), reason: z.string() })),
  offered: z.number(),
  holdout: z.number(),
  /** planned messages (one per offered customer, invoice and channel, grouped per channel) */
  actions: z.number(),
  debtCents: z.number(),
});
export type CampaignCreated = z.infer<typeof ZCampaignCreated>;

export const ZCampaignArm = z.object({
  arm: z.enum(["offer", "holdout"]),
  customers: z.number(),
  debtCents: z.number(),
  accepted: z.number(),
  /** customers who paid anything towards the debt since the campaign began */
  recovered: z.number(),
  recoveryRate: z.number(),
  recoveredCents: z.number(),
  /** recovered cents over the debt the arm owed when the campaign began */
  recoveredShare: z.number(),
});
export type CampaignArmResult = z.infer<typeof ZCampaignArm>;

export const ZCampaignResults = z.object({
  campaign: ZCampaign,
  measuredAt: z.date(),
  arms: z.array(ZCampaignArm),
  /** offer minus holdout; null without a holdout */
  uplift: z
    .object({
      rate: ZUplift.describe("Na taxa de recuperação (proporção de clientes que pagaram algo), com IC 95%"),
      amountPerCustomerCents: ZUplift.describe("No valor recuperado por cliente, em centavos, com IC 95%"),
      neededPerArm: z.number(),
      note: z.string(),
    })
    .nullable(),
});
export type CampaignResults = z.infer<typeof ZCampaignResults>;
