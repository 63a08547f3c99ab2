import type { IsoDate } from "../dates.ts";
import type { RecordValues } from "./codec.ts";
import type { CanonicalEvent, CnabLayout, Instruction } from "./layout.ts";
import { normalizeOurNumber } from "./reader.ts";

/**
 * Titles in bank-neutral terms and their record values in a layout: what a remittance asks
 * (`TitleIntent`) and what a return reports (`TitleMovement`). The same functions read a parsed
 * remittance back into the intent, so a file can be checked to say exactly what was meant.
 */

export interface Payer {
  document: string;
  name: string;
  address: string;
  district: string;
  postalCode: string;
  city: string;
  state: string;
}

export interface TitleIntent {
  instruction: Instruction;
  /** the full our number, check digit included */
  ourNumber: string;
  /** seu número: the invoice's external id (cut to the layout's width) */
  documentNumber: string;
  dueDate: IsoDate;
  issuedOn: IsoDate;
  amountCents: number;
  /** interest per day of delay, in cents (0: none) */
  interestPerDayCents: number;
  /** fine in basis points (0: none) */
  fineBps: number;
  discountCents: number;
  discountUntil: IsoDate | null;
  /** days after the due date to protest; null: do not protest */
  protestDays: number | null;
  payer: Payer;
  /** the account's wallet as the layout writes it */
  wallet: string;
}

/**
 * The wallet as a layout's field takes it: CNAB 240 position 58 is FEBRABAN's wallet kind (1,
 * simple collection) while the bank's own wallet number goes where the bank puts it; a shorter
 * wallet field keeps the number's last digits (Santander 400: 101 → 1).
 */
function walletValues(layout: CnabLayout, wallet: string): RecordValues {
  if (layout.kind === "cnab240") return { wallet: 1, bankWallet: wallet };
  const field = layout.remittanceDetail[0]!.fields.find((candidate) => candidate.name === "wallet");
  const width = field ? field.end - field.start + 1 : wallet.length;
  return { wallet: wallet.slice(-width) };
}

function documentType(document: string): number {
  return document.length === 11 ? 1 : 2;
}

/** The record values of one title of a remittance, in the layout's detail records. */
export function remittanceTitle(layout: CnabLayout, intent: TitleIntent): (RecordValues | null)[] {
  const movement = layout.instructionCodes[intent.instruction];
  const payerType = documentType(intent.payer.document);
  const main: RecordValues = {
    movement,
    ourNumber: intent.ourNumber,
    ...walletValues(layout, intent.wallet),
    documentNumber: intent.documentNumber,
    dueDate: intent.dueDate,
    faceValue: intent.amountCents,
    issuedOn: intent.issuedOn,
    interestCode: intent.interestPerDayCents > 0 ? 1 : 3,
    interestFrom: null,
    interestPerDay: intent.interestPerDayCents,
    discountCode: intent.discountCents > 0 ? 1 : 0,
    discountUntil: intent.discountCents > 0 ? intent.discountUntil : null,
    discount: intent.discountCents,
    protestCode: intent.protestDays === null ? 3 : 1,
    protestDays: intent.protestDays ?? 0,
    instruction1: intent.protestDays === null ? 0 : layout.protestInstruction,
    writeOffCode: 0,
    fineCode: intent.fineBps > 0 ? layout.finePercentCode : 0,
    fineBps: intent.fineBps,
  };
  const payer: RecordValues = {
    movement,
    payerDocumentType: layout.kind === "cnab400" ? `0${payerType}` : payerType,
    payerDocument: intent.payer.document,
    payerName: intent.payer.name,
    payerAddress: intent.payer.address,
    payerDistrict: intent.payer.district,
    payerPostalCode: intent.payer.postalCode,
    payerCity: intent.payer.city,
    payerState: intent.payer.state,
  };
  // the fine's own record (CNAB 240 segment R, Itaú 400's type 2), written only when there is a fine
  const fine: RecordValues | null =
    intent.fineBps > 0
      ? { movement, fineCode: layout.finePercentCode, fineFrom: intent.dueDate, fineBps: intent.fineBps }
      : null;
  if (layout.kind === "cnab400") {
    const detail = { ...main, ...payer, movement };
    return layout.remittanceDetail.length > 1 ? [detail, fine] : [detail];
  }
  return [main, payer, fine];
}

/** What a remittance record says, read back into the intent's terms (for the round trip). */
export function intentFromRemittance(
  layout: CnabLayout,
  instruction: Instruction | null,
  values: RecordValues,
): Omit<TitleIntent, "instruction" | "wallet"> & { instruction: Instruction | null } {
  const text = (name: string) => String(values[name] ?? "");
  const cents = (name: string) => Number(values[name] ?? 0);
  const payerType = Number(values.payerDocumentType ?? 0);
  const document = text("payerDocument");
  const ourNumberField = [...layout.remittanceDetail[0]!.fields].find((field) => field.name === "ourNumber");
  return {
    instruction,
    ourNumber: normalizeOurNumber(text("ourNumber")) + (ourNumberField?.withoutCheckDigit ? "?" : ""),
    documentNumber: text("documentNumber"),
    dueDate: values.dueDate as IsoDate,
    issuedOn: values.issuedOn as IsoDate,
    amountCents: cents("faceValue"),
    interestPerDayCents: cents("interestPerDay"),
    fineBps: Number(values.fineBps ?? 0),
    discountCents: cents("discount"),
    discountUntil: (values.discountUntil as IsoDate | null) ?? null,
    protestDays:
      layout.kind === "cnab400"
        ? String(values.instruction1 ?? "").padStart(2, "0") === layout.protestInstruction
          ? Number(values.protestDays)
          : null
        : Number(values.protestCode ?? 3) === 1
          ? Number(values.protestDays)
          : null,
    payer: {
      document: payerType === 1 ? document.slice(-11) : document.slice(-14),
      name: text("payerName"),
      address: text("payerAddress"),
      district: text("payerDistrict"),
      postalCode: text("payerPostalCode"),
      city: text("payerCity"),
      state: text("payerState"),
    },
  };
}

/** A title's movement as a bank reports it in a return file. */
export interface TitleMovement {
  event: Exclude<CanonicalEvent, "other"> | { code: string };
  ourNumber: string;
  documentNumber: string;
  dueDate: IsoDate | null;
  amountCents: number;
  paidCents?: number;
  interestCents?: number;
  discountCents?: number;
  rebateCents?: number;
  feeCents?: number;
  occurredOn: IsoDate;
  creditedOn?: IsoDate | null;
  reasons?: string;
  payerDocument?: string;
  wallet: string;
}

/** The record values of one title of a return file (what a bank, or a simulated one, writes). */
export function returnTitle(layout: CnabLayout, movement: TitleMovement): (RecordValues | null)[] {
  const code =
    typeof movement.event === "object"
      ? movement.event.code
      : // the lowest code of the event: the plain one (06 settled, not 17 paid after write-off)
        Object.entries(layout.returnEvents)
          .filter(([, event]) => event === movement.event)
          .map(([candidate]) => candidate)
          .sort()[0];
  if (code === undefined)
    throw new Error(`o layout ${layout.kind} ${layout.bank} não tem código para ${String(movement.event)}`);
  const payer = movement.payerDocument ?? "";
  const values: RecordValues = {
    movement: code,
    ourNumber: movement.ourNumber,
    ...walletValues(layout, movement.wallet),
    documentNumber: movement.documentNumber,
    dueDate: movement.dueDate,
    faceValue: movement.amountCents,
    fee: movement.feeCents ?? 0,
    reasons: movement.reasons ?? "",
    payerDocumentType: payer
      ? layout.kind === "cnab400"
        ? `0${documentType(payer)}`
        : documentType(payer)
      : 0,
    payerDocument: payer,
    interest: movement.interestCents ?? 0,
    discountGranted: movement.discountCents ?? 0,
    rebateGranted: movement.rebateCents ?? 0,
    paid: movement.paidCents ?? 0,
    net: Math.max(0, (movement.paidCents ?? 0) - (movement.feeCents ?? 0)),
    occurredOn: movement.occurredOn,
    creditedOn: movement.creditedOn ?? null,
  };
  return layout.kind === "cnab400" ? [values] : [values, values];
}
