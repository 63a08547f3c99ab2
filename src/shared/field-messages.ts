import { fieldLabel } from "../i18n/pt-BR/field-labels.ts";

/**
 * An input error's message as a person reads it: the field's internal path, which validation
 * writes first (`ttlDays: …`, `O campo "steps.6.window" …`, sometimes twice), becomes its human
 * label ("Validade do link (dias): …"). A message that already opens with the label is kept; one
 * that names no field gets the label in front. Unknown fields keep their path.
 */
export function humanFieldMessage(field: string, message: string): string {
  const label = fieldLabel(field);
  if (!label) return message;
  const quoted = `O campo "${field}"`;
  if (message.includes(quoted)) return message.replace(quoted, `O campo "${label}"`);
  const prefix = `${field}: `;
  let reason = message;
  while (reason.startsWith(prefix)) reason = reason.slice(prefix.length);
  if (reason.startsWith(`${label}: `)) return reason;
  return `${label}: ${reason}`;
}

/** The reason alone, to show beside the field whose label already says which one it is. */
export function fieldReason(field: string, message: string): string {
  const human = humanFieldMessage(field, message);
  const label = fieldLabel(field);
  if (label && human.startsWith(`${label}: `)) return human.slice(label.length + 2);
  const quoted = `O campo "${label ?? field}" `;
  if (human.startsWith(quoted)) return human.slice(quoted.length).replace(/\.$/, "");
  return human;
}
