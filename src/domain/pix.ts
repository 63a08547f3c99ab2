import QRCode from "qrcode";
import { centsToDecimal } from "./money.ts";

/**
 * Pix "BR Code" payloads (BCB, Manual de Padrões para Iniciação do Pix, on EMV QRCPS-MPM):
 * TLV fields `ID(2) LEN(2) VALUE`, closed by a CRC-16/CCITT-FALSE in field 63.
 */

export class PixError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PixError";
  }
}

export interface ParsedPix {
  key: string | null;
  url: string | null;
  /** '12.34', or null when the payer types the amount. */
  amount: string | null;
  name: string;
  city: string;
  txid: string;
  crc: string;
  /** what was read although outside the strict rules (the BCB manual's own examples), in pt-BR */
  warnings: string[];
}

const PIX_GUI = "br.gov.bcb.pix";
export const PIX_NAME_MAX = 25;
export const PIX_CITY_MAX = 15;
export const PIX_TXID_MAX = 25;

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection) of the UTF-8 bytes, 4 uppercase hex digits. */
export function crc16Ccitt(text: string): string {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit += 1) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc.toString(16).toUpperCase().padStart(4, "0");
}

function field(id: string, value: string): string {
  if (value.length > 99)
    throw new PixError(`campo ${id} do Pix longo demais: ${value.length} caracteres (máximo 99)`);
  return `${id}${String(value.length).padStart(2, "0")}${value}`;
}

/** Upper-case ASCII without accents: many bank apps reject accented names in field 59/60. */
function plainText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[^\x20-\x7E]/g, "")
    .trim();
}

/**
 * Builds a Pix copy-and-paste payload: static (with `key`) or dynamic (with `url`, the location
 * without scheme served by the PSP). Accents are removed from name and city; limits per the BCB
 * manual: name ≤ 25, city ≤ 15, txid ≤ 25 letters and digits ('***' when none).
 */
export function buildPixPayload(input: {
  key?: string;
  url?: string;
  amountCents?: number | null;
  name: string;
  city: string;
  txid?: string;
}): string {
  const hasKey = input.key !== undefined && input.key !== "";
  const hasUrl = input.url !== undefined && input.url !== "";
  if (hasKey === hasUrl)
    throw new PixError("Pix: informe a chave (estático) ou a URL (dinâmico), exatamente um dos dois");
  const name = plainText(input.name);
  const city = plainText(input.city);
  if (name.length === 0 || name.length > PIX_NAME_MAX) {
    throw new PixError(
      `nome do recebedor do Pix deve ter de 1 a ${PIX_NAME_MAX} caracteres (tem ${name.length})`,
    );
  }
  if (city.length === 0 || city.length > PIX_CITY_MAX) {
    throw new PixError(
      `cidade do recebedor do Pix deve ter de 1 a ${PIX_CITY_MAX} caracteres (tem ${city.length})`,
    );
  }
  const txid = input.txid === undefined || input.txid === "" ? "***" : input.txid;
  if (txid !== "***" && !/^[A-Za-z0-9]{1,25}$/.test(txid)) {
    throw new PixError(
      `txid do Pix "${txid}" inválido: use até ${PIX_TXID_MAX} letras e dígitos, sem espaços ou símbolos`,
    );
  }
  let account = field("00", PIX_GUI);
  if (hasKey) {
    if (input.key!.length > 77)
      throw new PixError(`chave Pix longa demais: ${input.key!.length} caracteres (máximo 77)`);
    account += field("01", input.key!);
  } else {
    const url = input.url!.replace(/^https?:\/\//i, "");
    if (url.length > 77)
      throw new PixError(`URL do Pix dinâmico longa demais: ${url.length} caracteres (máximo 77)`);
    account += field("25", url);
  }
  let payload = field("00", "01");
  // Point of initiation 12 = single use: a dynamic location is a single charge.
  if (hasUrl) payload += field("01", "12");
  payload += field("26", account) + field("52", "0000") + field("53", "986");
  if (input.amountCents !== undefined && input.amountCents !== null && input.amountCents !== 0) {
    if (!Number.isSafeInteger(input.amountCents) || input.amountCents < 0) {
      throw new PixError("valor do Pix inválido: deve ser um número inteiro e positivo de centavos");
    }
    const amount = centsToDecimal(input.amountCents);
    if (amount.length > 13)
      throw new PixError(`valor do Pix grande demais: ${amount} (máximo 13 caracteres)`);
    payload += field("54", amount);
  }
  payload += field("58", "BR") + field("59", name) + field("60", city) + field("62", field("05", txid));
  payload += "6304";
  return payload + crc16Ccitt(payload);
}

interface Tlv {
  id: string;
  value: string;
}

function readTlv(text: string, where: string): Tlv[] {
  const fields: Tlv[] = [];
  let position = 0;
  while (position < text.length) {
    const header = text.slice(position, position + 4);
    if (!/^\d{4}$/.test(header)) {
      throw new PixError(
        `Pix malformado${where}: esperado ID e tamanho (4 dígitos) na posição ${position + 1}, encontrado "${header}"`,
      );
    }
    const id = header.slice(0, 2);
    const length = Number(header.slice(2));
    const value = text.slice(position + 4, position + 4 + length);
    if (value.length !== length) {
      throw new PixError(
        `Pix malformado${where}: o campo ${id} declara ${length} caracteres mas só há ${value.length}`,
      );
    }
    fields.push({ id, value });
    position += 4 + length;
  }
  return fields;
}

/**
 * Validates and reads a Pix copy-and-paste payload: TLV structure, CRC, mandatory fields and the
 * BCB length limits. Throws PixError with a pt-BR message saying what is wrong.
 */
export function parsePixPayload(payload: string): ParsedPix {
  const text = payload.trim();
  if (text.length === 0) throw new PixError("Pix vazio: cole o código copia e cola completo");
  const crcAt = text.length - 8;
  if (crcAt < 0 || text.slice(crcAt, crcAt + 4) !== "6304") {
    throw new PixError(
      'Pix sem CRC no final: o código deve terminar com "6304" e 4 dígitos hexadecimais (foi cortado?)',
    );
  }
  const crc = text.slice(crcAt + 4).toUpperCase();
  if (!/^[0-9A-F]{4}$/.test(crc))
    throw new PixError(`CRC do Pix "${text.slice(crcAt + 4)}" inválido: devem ser 4 dígitos hexadecimais`);
  const expected = crc16Ccitt(text.slice(0, crcAt + 4));
  if (expected !== crc) {
    throw new PixError(
      `CRC do Pix não confere: calculado ${expected}, informado ${crc} (código alterado ou incompleto)`,
    );
  }
  const fields = readTlv(text, "");
  const get = (id: string) => fields.find((candidate) => candidate.id === id)?.value;
  if (fields[0]?.id !== "00" || fields[0].value !== "01") {
    throw new PixError('Pix inválido: o primeiro campo deve ser 00 (formato do payload) com valor "01"');
  }
  const account = fields.find((candidate) => {
    if (Number(candidate.id) < 26 || Number(candidate.id) > 51) return false;
    const gui = readTlv(candidate.value, ` no campo ${candidate.id}`).find((sub) => sub.id === "00");
    return gui?.value.toLowerCase() === PIX_GUI;
  });
  if (!account) throw new PixError(`Pix inválido: falta o campo 26 com o identificador ${PIX_GUI}`);
  const accountFields = readTlv(account.value, ` no campo ${account.id}`);
  const key = accountFields.find((sub) => sub.id === "01")?.value ?? null;
  const url = accountFields.find((sub) => sub.id === "25")?.value ?? null;
  if ((key === null) === (url === null)) {
    throw new PixError(
      "Pix inválido: o campo 26 deve ter a chave (01) ou a URL (25), exatamente um dos dois",
    );
  }
  if (get("52") === undefined) throw new PixError("Pix inválido: falta o campo 52 (categoria do recebedor)");
  if (get("53") !== "986")
    throw new PixError(`Pix inválido: moeda (campo 53) deve ser 986 (real), encontrado "${get("53") ?? ""}"`);
  const amount = get("54") ?? null;
  if (amount !== null && (amount.length > 13 || !/^\d+(\.\d{1,2})?$/.test(amount))) {
    throw new PixError(
      `valor do Pix (campo 54) "${amount}" inválido: use ponto decimal e até 13 caracteres (ex.: 12.34)`,
    );
  }
  if (get("58") !== "BR")
    throw new PixError(`Pix inválido: país (campo 58) deve ser BR, encontrado "${get("58") ?? ""}"`);
  const name = get("59");
  if (!name) throw new PixError("Pix inválido: falta o nome do recebedor (campo 59)");
  if (name.length > PIX_NAME_MAX) {
    throw new PixError(
      `nome do recebedor (campo 59) tem ${name.length} caracteres: o máximo é ${PIX_NAME_MAX}`,
    );
  }
  const city = get("60");
  if (!city) throw new PixError("Pix inválido: falta a cidade do recebedor (campo 60)");
  if (city.length > PIX_CITY_MAX) {
    throw new PixError(
      `cidade do recebedor (campo 60) tem ${city.length} caracteres: o máximo é ${PIX_CITY_MAX}`,
    );
  }
  const additional = get("62");
  const txid =
    additional === undefined
      ? "***"
      : (readTlv(additional, " no campo 62").find((sub) => sub.id === "05")?.value ?? "***");
  const warnings: string[] = [];
  if (txid !== "***" && !/^[A-Za-z0-9]{1,25}$/.test(txid)) {
    // The Manual do BR Code's own examples carry "RP12345678-2019": read such txids (visible ASCII,
    // up to 25 characters) with a warning; generation (buildPixPayload) stays strict.
    if (!/^[\x21-\x7E]{1,25}$/.test(txid)) {
      throw new PixError(
        `txid do Pix "${txid}" inválido: até ${PIX_TXID_MAX} letras e dígitos, ou *** quando não há`,
      );
    }
    warnings.push(
      `txid "${txid}" fora do padrão (só letras e dígitos): lido como nos exemplos do Manual do BR Code, ` +
        "mas alguns bancos podem recusá-lo; o Régua só gera txids de letras e dígitos",
    );
  }
  return { key, url, amount, name, city, txid, crc, warnings };
}

/** The payload as a QR code in SVG (for e-mails, the portal and letters). */
export function pixQrSvg(payload: string): Promise<string> {
  return QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

/** The payload as a QR code in PNG. */
export function pixQrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: "png", errorCorrectionLevel: "M", margin: 2, width: 320 });
}
