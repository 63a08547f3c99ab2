/**
 * The template names a policy may use. Until the messages module brings real templates, this
 * registry is the list of names that will exist: one per channel and usual day of the seeds'
 * staging ("email.d-5", "sms.d+6", "letter.d+15"), plus the standing notices and analyst tasks.
 */
const OFFSETS = [-15, -10, -7, -5, -3, -2, -1, 0, 1, 3, 5, 6, 9, 10, 12, 15, 20, 30, 45, 60, 90];

function offsetSuffix(offset: number): string {
  return offset > 0 ? `d+${offset}` : offset === 0 ? "d0" : `d${offset}`;
}

const known = new Set<string>();
for (const channel of ["email", "sms", "whatsapp", "letter"]) {
  for (const offset of OFFSETS) known.add(`${channel}.${offsetSuffix(offset)}`);
  for (const standing of ["warning", "suspended", "cancelled"]) known.add(`${channel}.standing-${standing}`);
}
for (const name of [
  "email.negotiation-offer",
  "sms.negotiation-offer",
  "whatsapp.negotiation-offer",
  "letter.bureau-notice",
  "task.negotiation",
  "task.phone-call",
  "task.review",
  "webhook.dunning-step",
]) {
  known.add(name);
}

export function isKnownTemplate(name: string): boolean {
  return known.has(name);
}

export function knownTemplates(): string[] {
  return [...known].sort();
}

/** Adds names to the registry (the messages module registers its templates at start-up). */
export function registerTemplates(names: string[]): void {
  for (const name of names) known.add(name);
}
