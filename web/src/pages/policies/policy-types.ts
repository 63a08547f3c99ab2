/** The policy as `GET /v1/policies` describes it and `PUT /v1/policies/{name}` takes it back. */
export type Channel = "email" | "sms" | "whatsapp" | "letter" | "webhook" | "task";

export const CHANNELS: Channel[] = ["email", "sms", "whatsapp", "letter", "webhook", "task"];

export { SCORE_BANDS, type ScoreBand } from "../../../../src/domain/score-bands.ts";

import type { ScoreBand } from "../../../../src/domain/score-bands.ts";

export interface PolicyStep {
  id?: string;
  name: string;
  offsetDays: number;
  dayKind: "calendar" | "business";
  channels: Channel[];
  templates: Partial<Record<Channel, string>>;
  conditions: {
    minAmountCents: number | null;
    maxAmountCents: number | null;
    verifiedContactsOnly: boolean;
    onlyWithoutChannel: "email" | "sms" | "whatsapp" | null;
    onlyIf: { step: string; outcome: "failed" | "succeeded" } | null;
    scoreBands: ScoreBand[];
  };
  window: { start: string; end: string } | null;
}

export interface Policy {
  id: string;
  name: string;
  description: string;
  priority: number;
  active: boolean;
  steps: PolicyStep[];
  [other: string]: unknown;
}

export interface MessageTemplate {
  name: string;
  channel: string;
  subject: string | null;
  body: string;
  whatsappTemplate: string | null;
  whatsappLanguage: string | null;
  whatsappParameters: string[];
  custom: boolean;
}

/** "D-5", "D0", "D+6" */
export function dayLabel(offset: number): string {
  return offset > 0 ? `D+${offset}` : offset === 0 ? "D0" : `D${offset}`;
}
