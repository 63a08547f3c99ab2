import { z } from "zod";
import { SCORE_BANDS, type ScoreBand } from "../../domain/score-bands.ts";
import type { ChannelName, DayKind } from "./policy.table.ts";

/**
 * Glossary: a policy is a régua de cobrança: who it governs (segment), its priority among the
 * tenant's policies (lowest number first; an explicit assignment beats the order), the standing
 * thresholds, and its steps. A step is "on D±n, over these channels, with these templates, if
 * these conditions hold". Stop rules end the régua for an invoice and are not configurable: paid,
 * cancelled, renegotiated, disputed, a paused customer, an opted-out channel.
 */
export const CHANNELS = ["email", "sms", "whatsapp", "letter", "webhook", "task"] as const;
export const CONTACT_CHANNELS = ["email", "sms", "whatsapp"] as const;

export interface PolicyStep {
  id: string;
  name: string;
  offsetDays: number;
  dayKind: DayKind;
  channels: ChannelName[];
  templates: Partial<Record<ChannelName, string>>;
  conditions: StepConditions;
  window: { start: string; end: string } | null;
  /** e-mail of this step carries the debtor's letter as a PDF (debts, typeable line, ITF-25, Pix QR) */
  attachLetter: boolean;
}

export interface StepConditions {
  minAmountCents: number | null;
  maxAmountCents: number | null;
  verifiedContactsOnly: boolean;
  onlyWithoutChannel: "email" | "sms" | "whatsapp" | null;
  onlyIf: { step: string; outcome: "failed" | "succeeded" } | null;
  /** only invoices whose stored probability of payment is in these bands (empty: all; unscored: all) */
  scoreBands: ScoreBand[];
}

export interface Policy {
  id: string;
  tenantId: string;
  name: string;
  description: string;
  priority: number;
  active: boolean;
  segment: {
    tags: string[];
    kind: "person" | "company" | null;
    minAmountCents: number | null;
    maxAmountCents: number | null;
    plans: string[];
    /** bands of the probability of payment (empty: every invoice; one not scored yet is in every band) */
    scoreBands: ScoreBand[];
  };
  standing: {
    warningDays: number;
    suspendedDays: number;
    cancelledDays: number;
    dayKind: DayKind;
    minimumCents: number;
  };
  groupByCustomer: boolean;
  frequencyCap: { perChannelPerDay: number; perChannelPerWeek: number | null };
  steps: PolicyStep[];
}

const ZCents = z.number().int({ error: "use centavos inteiros" }).min(0, { error: "não pode ser negativo" });
const ZTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "use HH:MM (ex.: 09:00)" });

/** Bands of the probability of payment, for a step's condition and a policy's segment alike. */
const ZScoreBands = z
  .array(z.enum(SCORE_BANDS, { error: `faixa desconhecida; use ${SCORE_BANDS.join(", ")}` }))
  .default([]);

/** A policy's standing thresholds when it sets none (days overdue, calendar; no minimum). */
const DEFAULT_STANDING = {
  warningDays: 5,
  suspendedDays: 20,
  cancelledDays: 60,
  dayKind: "calendar",
  minimumCents: 0,
} as const;

export const ZPolicyStep = z.object({
  name: z.string().trim().min(1, { error: "dê um nome ao passo (ex.: D+6)" }).max(60),
  offsetDays: z.number().int({ error: "use um número inteiro de dias" }),
  dayKind: z
    .enum(["calendar", "business"], { error: "use calendar (corridos) ou business (úteis)" })
    .default("calendar"),
  channels: z.array(z.enum(CHANNELS, { error: `canal desconhecido; use ${CHANNELS.join(", ")}` })),
  templates: z.record(z.string(), z.string().trim().min(1)).default({}),
  conditions: z
    .object({
      minAmountCents: ZCents.nullable().default(null),
      maxAmountCents: ZCents.nullable().default(null),
      verifiedContactsOnly: z.boolean().default(false),
      onlyWithoutChannel: z.enum(CONTACT_CHANNELS).nullable().default(null),
      onlyIf: z
        .object({ step: z.string().trim().min(1), outcome: z.enum(["failed", "succeeded"]) })
        .nullable()
        .default(null),
      scoreBands: ZScoreBands,
    })
    .default({
      minAmountCents: null,
      maxAmountCents: null,
      verifiedContactsOnly: false,
      onlyWithoutChannel: null,
      onlyIf: null,
      scoreBands: [],
    }),
  window: z
    .object({ start: ZTime, end: ZTime })
    .refine((window) => window.start < window.end, { error: "o início da janela deve ser antes do fim" })
    .nullable()
    .default(null),
  attachLetter: z.boolean().default(false),
});

export const ZPolicy = z
  .object({
    name: z.string().trim().min(1, { error: "dê um nome à régua" }).max(100),
    description: z.string().default(""),
    priority: z.number().int().default(100),
    active: z.boolean().default(true),
    segment: z
      .object({
        tags: z.array(z.string().trim().min(1)).default([]),
        kind: z.enum(["person", "company"]).nullable().default(null),
        minAmountCents: ZCents.nullable().default(null),
        maxAmountCents: ZCents.nullable().default(null),
        plans: z.array(z.string().trim().min(1)).default([]),
        scoreBands: ZScoreBands,
      })
      .default({
        tags: [],
        kind: null,
        minAmountCents: null,
        maxAmountCents: null,
        plans: [],
        scoreBands: [],
      }),
    standing: z
      .object({
        warningDays: z.number().int().min(1).max(3650).default(DEFAULT_STANDING.warningDays),
        suspendedDays: z.number().int().min(1).max(3650).default(DEFAULT_STANDING.suspendedDays),
        cancelledDays: z.number().int().min(1).max(3650).default(DEFAULT_STANDING.cancelledDays),
        dayKind: z.enum(["calendar", "business"]).default(DEFAULT_STANDING.dayKind),
        minimumCents: ZCents.default(DEFAULT_STANDING.minimumCents),
      })
      .refine((s) => s.warningDays < s.suspendedDays && s.suspendedDays < s.cancelledDays, {
        error: "os limites devem crescer: aviso < suspensão < cancelamento",
      })
      .default(DEFAULT_STANDING),
    groupByCustomer: z.boolean().default(true),
    frequencyCap: z
      .object({
        perChannelPerDay: z.number().int().min(1).default(1),
        perChannelPerWeek: z.number().int().min(1).nullable().default(null),
      })
      .default({ perChannelPerDay: 1, perChannelPerWeek: null }),
    steps: z.array(ZPolicyStep).min(1, { error: "a régua precisa de ao menos um passo" }),
  })
  .superRefine((policy, context) => {
    // a régua chosen by score band does not decide standing (governingPolicy, forStanding)
    if (policy.segment.scoreBands.length > 0 && !hasDefaultStanding(policy.standing)) {
      context.addIssue({
        code: "custom",
        path: ["standing"],
        message:
          "uma régua escolhida por faixa de score não decide aviso, suspensão nem cancelamento (a situação segue a régua sem faixa); deixe a situação no padrão ou tire as faixas do segmento",
      });
    }
    const seen = new Map<string, string>();
    const names = new Map<string, number>();
    policy.steps.forEach((step, index) => {
      const label = `passo "${step.name}"`;
      const issue = (path: (string | number)[], message: string) =>
        context.addIssue({
          code: "custom",
          path: ["steps", index, ...path],
          message: `${label}: ${message}`,
        });
      if (names.has(step.name))
        issue(["name"], `nome repetido (já usado no passo ${names.get(step.name)! + 1})`);
      names.set(step.name, index);
      if (step.offsetDays < -365 || step.offsetDays > 365) {
        issue(["offsetDays"], `deslocamento de ${step.offsetDays} dias fora do limite; use de -365 a 365`);
      }
      if (step.channels.length === 0) issue(["channels"], "lista de canais vazia; informe ao menos um canal");
      for (const channel of step.channels) {
        const key = `${step.offsetDays}/${step.dayKind}/${channel}`;
        const other = seen.get(key);
        if (other !== undefined) {
          issue(
            ["channels"],
            `mesmo dia (D${signed(step.offsetDays)}) e canal ${channel} do passo "${other}"`,
          );
        }
        seen.set(key, step.name);
        const template = step.templates[channel];
        // whether the name exists is the tenant's to say, in the database (see checkTemplateNames)
        if (template === undefined) issue(["templates", channel], `falta o modelo do canal ${channel}`);
      }
      for (const channel of Object.keys(step.templates)) {
        if (!step.channels.includes(channel as ChannelName)) {
          issue(["templates", channel], `modelo para o canal ${channel}, que não está na lista de canais`);
        }
      }
      const onlyIf = step.conditions.onlyIf;
      if (onlyIf) {
        const earlier = policy.steps.slice(0, index).find((candidate) => candidate.name === onlyIf.step);
        if (!earlier)
          issue(
            ["conditions", "onlyIf", "step"],
            `condição refere-se ao passo "${onlyIf.step}", que não vem antes`,
          );
      }
    });
  });

function hasDefaultStanding(standing: Record<keyof typeof DEFAULT_STANDING, unknown>): boolean {
  return (Object.keys(DEFAULT_STANDING) as (keyof typeof DEFAULT_STANDING)[]).every(
    (key) => standing[key] === DEFAULT_STANDING[key],
  );
}

export type TPolicy = z.input<typeof ZPolicy>;
export type TValidPolicy = z.output<typeof ZPolicy>;

function signed(offset: number): string {
  return offset > 0 ? `+${offset}` : offset === 0 ? "0" : String(offset);
}

export function stepLabel(offset: number): string {
  return `D${signed(offset)}`;
}

/** Who a pause or dispute belongs to. */
export const ZPause = z.object({
  until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "use AAAA-MM-DD" }),
  reason: z.string().trim().min(1, { error: "informe o motivo da pausa" }).max(500),
});
export type TPause = z.input<typeof ZPause>;
