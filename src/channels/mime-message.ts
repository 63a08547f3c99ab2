import { randomBytes } from "node:crypto";
import addressparser from "nodemailer/lib/addressparser";
import * as base64 from "nodemailer/lib/base64";
import { buildHeaderValue, encodeWord, encodeWords, foldLines, quoteString } from "nodemailer/lib/mime-funcs";
import * as quotedPrintable from "nodemailer/lib/qp";
import type { SmtpMail } from "./smtp-thread.ts";

/**
 * An e-mail as the bytes that go after SMTP's DATA, composed in one pass: headers, then the text
 * and HTML parts (multipart/alternative), then any attachments (multipart/mixed). nodemailer would
 * build the same message as a tree of streams, a few dozen stream objects and socket writes per
 * e-mail, which made its MIME tree the costliest step of a send (more than rendering the template).
 * The encodings are nodemailer's own functions: headers RFC 2047 and folded at 76, parts in
 * quoted-printable, attachments in base64, file names RFC 2231.
 */
export interface ComposedEmail {
  /** MAIL FROM and RCPT TO */
  envelope: { from: string; to: string[] };
  raw: Buffer;
}

const CRLF = "\r\n";

/** Unique per process: boundaries hold "=_", which neither quoted-printable nor base64 ever writes. */
const boundaryPrefix = `=_regua_${randomBytes(6).toString("hex")}_`;
let boundaries = 0;

export function composeEmail(mail: SmtpMail, date: Date): ComposedEmail {
  const from = parseAddress(mail.from);
  const to = parseAddress(mail.to);
  const headers = [
    header("From", formatAddress(from)),
    header("To", formatAddress(to)),
    header("Subject", encodeText(mail.subject)),
    header("Message-ID", oneLine(mail.messageId)),
    header("Date", date.toUTCString().replace(/GMT/, "+0000")),
    header("MIME-Version", "1.0"),
    ...Object.entries(mail.headers).map(([key, value]) => header(oneLine(key), encodeText(value))),
  ];
  const alternatives = [textPart("text/plain", mail.text)];
  if (mail.html !== undefined) alternatives.push(textPart("text/html", mail.html));
  let body = alternatives.length > 1 ? multipart("alternative", alternatives) : alternatives[0]!;
  if (mail.attachments.length > 0) {
    body = multipart("mixed", [body, ...mail.attachments.map(attachmentPart)]);
  }
  return {
    envelope: { from: from.address, to: [to.address] },
    raw: Buffer.from(`${headers.join(CRLF)}${CRLF}${body}`, "utf8"),
  };
}

interface Address {
  name: string;
  address: string;
}

/** "Credora Ltda <cobranca@credora.com.br>" or a bare address; the first when there are several. */
function parseAddress(value: string): Address {
  const [first] = addressparser(oneLine(value), { flatten: true });
  return { name: first?.name ?? "", address: first?.address ?? oneLine(value) };
}

/** A display name as nodemailer writes it: as is, quoted, or an encoded word when not ASCII. */
function formatAddress({ name, address }: Address): string {
  if (!name) return address;
  const encoded = /^[\w ]*$/.test(name)
    ? name
    : /^[\x20-\x7e]*$/.test(name)
      ? quoteString(name)
      : encodeWord(name, "Q", 52);
  return `${encoded} <${address}>`;
}

/** Unstructured text (a subject, List-Unsubscribe): encoded words only where it is not ASCII. */
function encodeText(value: string): string {
  return encodeWords(oneLine(value), "Q", 52, true);
}

function header(key: string, value: string): string {
  return foldLines(`${key}: ${value}`, 76);
}

/** A header never carries a line break: one would start a header of the caller's choosing. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, " ");
}

/** A part's headers and content (the line break before the next boundary belongs to the boundary). */
type Part = string;

function textPart(type: "text/plain" | "text/html", text: string): Part {
  const content = quotedPrintable.wrap(quotedPrintable.encode(text.replace(/\r?\n/g, CRLF)), 76);
  return [
    `Content-Type: ${type}; charset=utf-8`,
    "Content-Transfer-Encoding: quoted-printable",
    "",
    content,
  ].join(CRLF);
}

function attachmentPart(attachment: SmtpMail["attachments"][number]): Part {
  const content = base64.wrap(base64.encode(Buffer.from(attachment.content)), 76);
  return [
    header(
      "Content-Type",
      buildHeaderValue({ value: attachment.contentType, params: { name: attachment.filename } }),
    ),
    header(
      "Content-Disposition",
      buildHeaderValue({ value: "attachment", params: { filename: attachment.filename } }),
    ),
    "Content-Transfer-Encoding: base64",
    "",
    content,
  ].join(CRLF);
}

function multipart(subtype: "alternative" | "mixed", parts: Part[]): Part {
  boundaries += 1;
  const boundary = `${boundaryPrefix}${boundaries}`;
  return [
    `Content-Type: multipart/${subtype}; boundary="${boundary}"`,
    "",
    ...parts.map((part) => `--${boundary}${CRLF}${part}`),
    `--${boundary}--`,
  ].join(CRLF);
}
