/**
 * SMS length rules (3GPP TS 23.038 / 23.040): a message in the GSM-7 alphabet carries 160
 * septets, or 153 per part once it must be split (the user data header takes 7); a message with
 * any other character goes as UCS-2: 70 UTF-16 units, 67 per part. Characters of the GSM-7
 * extension table (€, [, ], {, }, \, ~, ^, |) take two septets.
 */
const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION = "\f^{}\\[~]|€";

const basic = new Set(GSM7_BASIC);
const extension = new Set(GSM7_EXTENSION);

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SmsLength {
  encoding: SmsEncoding;
  /** septets (GSM-7) or UTF-16 code units (UCS-2) */
  units: number;
  segments: number;
  /** room left in the last segment */
  remaining: number;
}

export function isGsm7(text: string): boolean {
  for (const char of text) if (!basic.has(char) && !extension.has(char)) return false;
  return true;
}

/** Counts the parts a text takes as an SMS (3GPP TS 23.038), the unit providers bill by. */
export function smsLength(text: string): SmsLength {
  if (isGsm7(text)) {
    let units = 0;
    for (const char of text) units += extension.has(char) ? 2 : 1;
    return split("GSM-7", units, 160, 153);
  }
  return split("UCS-2", text.length, 70, 67);
}

function split(encoding: SmsEncoding, units: number, single: number, part: number): SmsLength {
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1, remaining: single - units };
  const segments = Math.ceil(units / part);
  return { encoding, units, segments, remaining: segments * part - units };
}

/**
 * Replaces the accented letters Portuguese uses that GSM-7 lacks (ã, ç, á, ê, õ…) by their base
 * letter, keeping the ones GSM-7 has (é, à, Ç…). An SMS with a single "ã" would otherwise go as
 * UCS-2 and cost two or three times as much; Brazilian operators and readers accept the plain
 * letters. Anything still outside GSM-7 (an emoji) is left, and the message goes as UCS-2.
 */
export function toGsm7(text: string): string {
  let result = "";
  for (const char of text) {
    if (basic.has(char) || extension.has(char)) {
      result += char;
      continue;
    }
    const base = char.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    if (base !== char && isGsm7(base)) result += base;
    else if (char === "\u2018" || char === "\u2019") result += "'";
    else if (char === "\u201c" || char === "\u201d") result += '"';
    else if (char === "\u2013" || char === "\u2014") result += "-";
    else if (char === "\u00a0") result += " ";
    else result += char;
  }
  return result;
}

/** The cost of a message: the provider bills each part. */
export function smsCostCents(text: string, pricePerSegmentCents: number): number {
  return smsLength(text).segments * pricePerSegmentCents;
}
