/**
 * Glossary: the behaviour model of `regua simulate` and of the tests that need a portfolio whose
 * truth is known. Every debtor is one of four archetypes (Cadena & Schoar, NBER w17020, and the
 * collections literature): the *forgetful* pay once reminded, the *short of cash* pay late whatever
 * is sent, the *strategic* pay under pressure (a letter, suspension), the *never-pay* do not pay.
 *
 * An invoice's fate is drawn with common random numbers: two uniforms fixed per invoice decide
 * whether it is paid by the due date and, if not, when after it. The same draws run under every
 * régua compared, so differences come from the messages, not from luck.
 */
export const ARCHETYPES = ["forgetful", "short_of_cash", "strategic", "never_pay"] as const;
export type Archetype = (typeof ARCHETYPES)[number];
export type SimulatedChannel = "email" | "sms" | "whatsapp" | "letter";

export interface BehaviourParameters {
  /** share of debtors of each archetype (sums to 1) */
  shares: Record<Archetype, number>;
  /** chance of paying by the due date with no reminder */
  onTime: Record<Archetype, number>;
  /** how much of a reminder's effect an archetype takes (forgetful 1) */
  responsiveness: Record<Archetype, number>;
  /**
   * percentage points a pre-due reminder adds to on-time payment for a fully responsive debtor.
   * Default SMS 0.14: over the default mix that averages ≈ 8 pp, Cadena & Schoar's 7–9 pp.
   */
  reminderEffect: Record<SimulatedChannel, number>;
  /** daily chance of paying after the due date with no message */
  dailyAfterDue: Record<Archetype, number>;
  /** how a post-due message multiplies that daily chance for the 3 days after it, per channel */
  nudge: Record<SimulatedChannel, number>;
  /** the strategic answer letters (formal pressure) more than any other channel */
  strategicLetterBoost: number;
  /** cost of one message, in cents */
  costCents: Record<SimulatedChannel, number>;
  /** chance a debtor has each contact channel (a letter needs an address: always) */
  contactShare: { email: number; sms: number; whatsapp: number };
  /** days after the due date the simulation follows an invoice */
  followDays: number;
}

export const DEFAULT_BEHAVIOUR: BehaviourParameters = {
  shares: { forgetful: 0.4, short_of_cash: 0.3, strategic: 0.15, never_pay: 0.15 },
  onTime: { forgetful: 0.55, short_of_cash: 0.2, strategic: 0.3, never_pay: 0.01 },
  responsiveness: { forgetful: 1, short_of_cash: 0.5, strategic: 0.2, never_pay: 0 },
  reminderEffect: { sms: 0.14, whatsapp: 0.14, email: 0.06, letter: 0.03 },
  dailyAfterDue: { forgetful: 0.06, short_of_cash: 0.025, strategic: 0.01, never_pay: 0.0005 },
  nudge: { sms: 2.5, whatsapp: 2.5, email: 1.6, letter: 2 },
  strategicLetterBoost: 3,
  costCents: { email: 1, sms: 9, whatsapp: 35, letter: 290 },
  contactShare: { email: 0.85, sms: 0.8, whatsapp: 0.5 },
  followDays: 90,
};

/** A message of a régua: sent on `offset` days from the due date over `channel`. */
export interface SimulatedStep {
  offset: number;
  channel: SimulatedChannel;
}

/** What is fixed about one invoice before any régua acts: who owes it and the draws of its fate. */
export interface InvoiceDraw {
  archetype: Archetype;
  contacts: { email: boolean; sms: boolean; whatsapp: boolean };
  /** uniform in [0,1): paid by the due date when below the on-time chance */
  onTimeDraw: number;
  /** exponential(1): paid after due on the first day the accumulated hazard reaches it */
  lateDraw: number;
}

export interface SimulatedOutcome {
  /** days from the due date to payment (≤ 0: on time), null when unpaid after followDays */
  paidDay: number | null;
  messages: number;
  costCents: number;
}

export function drawArchetype(parameters: BehaviourParameters, uniform: number): Archetype {
  let total = 0;
  for (const archetype of ARCHETYPES) {
    total += parameters.shares[archetype];
    if (uniform < total) return archetype;
  }
  return "never_pay";
}

/** Draws an invoice's fate from four uniforms in [0,1). */
export function drawInvoice(
  parameters: BehaviourParameters,
  uniforms: () => number,
  archetype?: Archetype,
): InvoiceDraw {
  const chosen = archetype ?? drawArchetype(parameters, uniforms());
  return {
    archetype: chosen,
    contacts: {
      email: uniforms() < parameters.contactShare.email,
      sms: uniforms() < parameters.contactShare.sms,
      whatsapp: uniforms() < parameters.contactShare.whatsapp,
    },
    onTimeDraw: uniforms(),
    lateDraw: -Math.log(1 - uniforms()),
  };
}

function reaches(draw: InvoiceDraw, channel: SimulatedChannel): boolean {
  return channel === "letter" || draw.contacts[channel];
}

/**
 * The invoice's outcome under a régua: pre-due reminders that reach the debtor raise the on-time
 * chance (each channel counted once); after the due date each day has a hazard of payment, raised
 * for 3 days after each message that reaches the debtor while the invoice is unpaid.
 */
export function simulateInvoice(
  parameters: BehaviourParameters,
  draw: InvoiceDraw,
  steps: readonly SimulatedStep[],
): SimulatedOutcome {
  const ordered = [...steps].sort((a, b) => a.offset - b.offset);
  let messages = 0;
  let costCents = 0;
  const send = (step: SimulatedStep) => {
    messages++;
    costCents += parameters.costCents[step.channel];
  };
  const before = ordered.filter((step) => step.offset <= 0 && reaches(draw, step.channel));
  const channelsBefore = new Set(before.map((step) => step.channel));
  let onTime = parameters.onTime[draw.archetype];
  for (const channel of channelsBefore) {
    onTime += parameters.responsiveness[draw.archetype] * parameters.reminderEffect[channel];
  }
  for (const step of before) send(step);
  if (draw.onTimeDraw < Math.min(0.99, onTime)) return { paidDay: 0, messages, costCents };

  const after = ordered.filter((step) => step.offset > 0 && reaches(draw, step.channel));
  let hazard = 0;
  let next = 0;
  for (let day = 1; day <= parameters.followDays; day++) {
    let multiplier = 1;
    while (next < after.length && after[next]!.offset <= day) {
      if (after[next]!.offset === day) send(after[next]!);
      next++;
    }
    for (const step of after) {
      if (step.offset <= day && day < step.offset + 3) {
        const boost =
          parameters.nudge[step.channel] *
          (draw.archetype === "strategic" && step.channel === "letter" ? parameters.strategicLetterBoost : 1);
        multiplier = Math.max(multiplier, draw.archetype === "never_pay" ? 1 : boost);
      }
    }
    hazard += -Math.log(1 - Math.min(0.95, parameters.dailyAfterDue[draw.archetype] * multiplier));
    if (hazard >= draw.lateDraw) return { paidDay: day, messages, costCents };
  }
  return { paidDay: null, messages, costCents };
}
