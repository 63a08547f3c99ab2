import { addDays } from "../../domain/dates.ts";
import { formatDocument } from "../../domain/documents.ts";
import { formatBrl } from "../../domain/money.ts";
import type { Agreement, AgreementInstallment } from "./agreement.ts";

/**
 * The installments of an agreement in the debtor's calendar: an ICS file (RFC 5545) and "add to
 * Google Calendar / Outlook" links. Agreements break after the first installments when the debtor
 * forgets them; a calendar entry with two alarms is the cheapest reminder there is.
 */

/** The creditor as shown in calendar entries (name and CPF/CNPJ, CDC art. 42-A). */
export interface CalendarCreditor {
  name: string;
  document: string;
}

function installmentLabel(agreement: Agreement, installment: AgreementInstallment): string {
  if (installment.number === 0) return "Entrada";
  if (agreement.terms.installments === 0) return "Pagamento à vista";
  return `Parcela ${installment.number}/${agreement.terms.installments}`;
}

function summaryOf(
  agreement: Agreement,
  installment: AgreementInstallment,
  creditor: CalendarCreditor,
): string {
  return `${installmentLabel(agreement, installment)} do acordo com ${creditor.name}: ${formatBrl(installment.amountCents)}`;
}

function descriptionOf(
  agreement: Agreement,
  installment: AgreementInstallment,
  creditor: CalendarCreditor,
  paymentUrl: string,
): string {
  const lines = [
    `${installmentLabel(agreement, installment)} do acordo: ${formatBrl(installment.amountCents)}`,
    `Pague pelo link: ${paymentUrl}`,
  ];
  if (installment.typeableLine) lines.push(`Linha digitável do boleto: ${installment.typeableLine}`);
  if (installment.pixPayload) lines.push(`Pix copia e cola: ${installment.pixPayload}`);
  lines.push(`${creditor.name} — CPF/CNPJ ${formatDocument(creditor.document)}`);
  return lines.join("\n");
}

/** RFC 5545 §3.3.11 TEXT: backslash, semicolon, comma and newlines escaped. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/**
 * RFC 5545 §3.1: lines longer than 75 octets are folded (CRLF and one space); UTF-8 sequences are
 * never split.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const character of line) {
    const size = Buffer.byteLength(character, "utf8");
    // the first line holds 75 octets; continuation lines 74 after their leading space
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

function compactDate(date: string): string {
  return date.replaceAll("-", "");
}

function utcStamp(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/**
 * The ICS file (RFC 5545) of an agreement: one all-day VEVENT per open installment (UID stable per
 * agreement and number, DTSTAMP the agreement's creation), its amount in R$, the payment link, the
 * boleto's typeable line and the Pix copy-and-paste in the description, and two alarms — 09:00 the
 * day before and 09:00 on the day (relative to the start of the all-day event, in the debtor's
 * own time). Lines end in CRLF and are folded at 75 octets.
 */
export function agreementCalendar(
  agreement: Agreement,
  creditor: CalendarCreditor,
  options: { paymentUrl(installment: AgreementInstallment): string },
): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Regua//Acordos//PT-BR",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(`Acordo com ${creditor.name}`)}`,
  ];
  const stamp = utcStamp(agreement.createdAt);
  for (const installment of agreement.installments) {
    if (installment.status !== "open") continue;
    const url = options.paymentUrl(installment);
    const summary = summaryOf(agreement, installment, creditor);
    lines.push(
      "BEGIN:VEVENT",
      `UID:${agreement.id}-${installment.number}@regua`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${compactDate(installment.dueDate)}`,
      `DTEND;VALUE=DATE:${compactDate(addDays(installment.dueDate, 1))}`,
      `SUMMARY:${escapeText(summary)}`,
      `DESCRIPTION:${escapeText(descriptionOf(agreement, installment, creditor, url))}`,
      `URL:${url}`,
      "TRANSP:TRANSPARENT",
      "BEGIN:VALARM",
      "ACTION:DISPLAY",
      `DESCRIPTION:${escapeText(`Amanhã: ${summary}`)}`,
      "TRIGGER;RELATED=START:-PT15H",
      "END:VALARM",
      "BEGIN:VALARM",
      "ACTION:DISPLAY",
      `DESCRIPTION:${escapeText(`Hoje: ${summary}`)}`,
      "TRIGGER;RELATED=START:PT9H",
      "END:VALARM",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}

/**
 * "Add to Google Calendar" and "Add to Outlook" links for one installment: an all-day event on its
 * due date with the amount, the payment link and the Pix copy-and-paste.
 */
export function installmentCalendarLinks(
  agreement: Agreement,
  installment: AgreementInstallment,
  creditor: CalendarCreditor,
  paymentUrl: string,
): { google: string; outlook: string } {
  const summary = summaryOf(agreement, installment, creditor);
  const details = descriptionOf(agreement, installment, creditor, paymentUrl);
  const google = new URLSearchParams({
    action: "TEMPLATE",
    text: summary,
    dates: `${compactDate(installment.dueDate)}/${compactDate(addDays(installment.dueDate, 1))}`,
    details,
  });
  const outlook = new URLSearchParams({
    path: "/calendar/action/compose",
    rru: "addevent",
    subject: summary,
    startdt: installment.dueDate,
    enddt: addDays(installment.dueDate, 1),
    allday: "true",
    body: details,
  });
  return {
    google: `https://calendar.google.com/calendar/render?${google.toString()}`,
    outlook: `https://outlook.live.com/calendar/0/deeplink/compose?${outlook.toString()}`,
  };
}
