import type { BankCode } from "../bank-boleto.ts";
import { type CnabLayout, type FieldSpec, type RecordSpec, withFields } from "./layout.ts";

/**
 * CNAB 400 for collection: one detail line (type 1) per title. The positions are each bank's
 * (Itaú, Bradesco, Santander); they share the common core below and differ where the manuals do.
 * What each rests on is in docs/bank-files.md.
 */

export const CNAB400_BANKS = ["341", "237", "033"] as const satisfies readonly BankCode[];
export type Cnab400Bank = (typeof CNAB400_BANKS)[number];

const fileHeader: RecordSpec = {
  name: "fileHeader",
  fields: [
    { name: "recordType", start: 1, end: 1, type: "num", value: "0" },
    { name: "direction", start: 2, end: 2, type: "num" },
    { name: "service", start: 10, end: 11, type: "num", value: "01" },
    { name: "serviceName", start: 12, end: 26, type: "alpha", value: "COBRANCA" },
    { name: "agreement", start: 27, end: 46, type: "num" },
    { name: "companyName", start: 47, end: 76, type: "alpha" },
    { name: "bank", start: 77, end: 79, type: "num" },
    { name: "bankName", start: 80, end: 94, type: "alpha" },
    { name: "generatedOn", start: 95, end: 100, type: "date6" },
    { name: "fileSequence", start: 389, end: 394, type: "num" },
    { name: "lineSequence", start: 395, end: 400, type: "num" },
  ],
};

const fileTrailer: RecordSpec = {
  name: "fileTrailer",
  fields: [
    { name: "recordType", start: 1, end: 1, type: "num", value: "9" },
    { name: "lineSequence", start: 395, end: 400, type: "num" },
  ],
};

/** The remittance detail's common core (positions shared by the three banks' manuals). */
const remittanceCore: RecordSpec = {
  name: "detail",
  fields: [
    { name: "recordType", start: 1, end: 1, type: "num", value: "1" },
    { name: "companyDocumentType", start: 2, end: 3, type: "num" },
    { name: "companyDocument", start: 4, end: 17, type: "num" },
    { name: "companyUse", start: 38, end: 62, type: "alpha" },
    { name: "movement", start: 109, end: 110, type: "num" },
    { name: "documentNumber", start: 111, end: 120, type: "alpha" },
    { name: "dueDate", start: 121, end: 126, type: "date6" },
    { name: "faceValue", start: 127, end: 139, type: "cents" },
    { name: "species", start: 148, end: 149, type: "num", value: "01" },
    { name: "acceptance", start: 150, end: 150, type: "alpha", value: "N" },
    { name: "issuedOn", start: 151, end: 156, type: "date6" },
    { name: "instruction1", start: 157, end: 158, type: "num" },
    { name: "protestDays", start: 159, end: 160, type: "num" },
    { name: "interestPerDay", start: 161, end: 173, type: "cents" },
    { name: "discountUntil", start: 174, end: 179, type: "date6" },
    { name: "discount", start: 180, end: 192, type: "cents" },
    { name: "rebate", start: 206, end: 218, type: "cents" },
    { name: "payerDocumentType", start: 219, end: 220, type: "num" },
    { name: "payerDocument", start: 221, end: 234, type: "num" },
    { name: "payerName", start: 235, end: 264, type: "alpha" },
    { name: "payerAddress", start: 275, end: 314, type: "alpha" },
    { name: "payerDistrict", start: 315, end: 326, type: "alpha" },
    { name: "payerPostalCode", start: 327, end: 334, type: "num" },
    { name: "payerCity", start: 335, end: 349, type: "alpha" },
    { name: "payerState", start: 350, end: 351, type: "alpha" },
    { name: "lineSequence", start: 395, end: 400, type: "num" },
  ],
};

/** The return detail's common core. */
const returnCore: RecordSpec = {
  name: "detail",
  fields: [
    { name: "recordType", start: 1, end: 1, type: "num", value: "1" },
    { name: "companyDocumentType", start: 2, end: 3, type: "num" },
    { name: "companyDocument", start: 4, end: 17, type: "num" },
    { name: "companyUse", start: 38, end: 62, type: "alpha" },
    { name: "movement", start: 109, end: 110, type: "num" },
    { name: "occurredOn", start: 111, end: 116, type: "date6" },
    { name: "documentNumber", start: 117, end: 126, type: "alpha" },
    { name: "dueDate", start: 147, end: 152, type: "date6" },
    { name: "faceValue", start: 153, end: 165, type: "cents" },
    { name: "fee", start: 176, end: 188, type: "cents" },
    { name: "iof", start: 215, end: 227, type: "cents" },
    { name: "rebateGranted", start: 228, end: 240, type: "cents" },
    { name: "discountGranted", start: 241, end: 253, type: "cents" },
    { name: "paid", start: 254, end: 266, type: "cents" },
    { name: "interest", start: 267, end: 279, type: "cents" },
    { name: "creditedOn", start: 296, end: 301, type: "date6" },
    { name: "lineSequence", start: 395, end: 400, type: "num" },
  ],
};

interface Bank400 {
  source: string;
  bankName: string;
  remittance: FieldSpec[];
  return: FieldSpec[];
  returnEvents: CnabLayout["returnEvents"];
}

const BANKS: Record<Cnab400Bank, Bank400> = {
  "341": {
    source: "Itaú, Cobrança CNAB 400 (manual técnico de intercâmbio de arquivos)",
    bankName: "BANCO ITAU SA",
    remittance: [
      { name: "agency", start: 18, end: 21, type: "num" },
      { name: "account", start: 24, end: 28, type: "num" },
      { name: "accountDigit", start: 29, end: 29, type: "alpha" },
      { name: "ourNumber", start: 63, end: 70, type: "num", withoutCheckDigit: true },
      { name: "wallet", start: 84, end: 86, type: "num" },
      { name: "walletCode", start: 108, end: 108, type: "alpha", value: "I" },
      { name: "bank", start: 140, end: 142, type: "num", value: "341" },
    ],
    return: [
      { name: "agency", start: 18, end: 21, type: "num" },
      { name: "account", start: 24, end: 28, type: "num" },
      { name: "accountDigit", start: 29, end: 29, type: "alpha" },
      { name: "wallet", start: 83, end: 85, type: "num" },
      { name: "ourNumber", start: 86, end: 94, type: "num" },
      { name: "reasons", start: 378, end: 385, type: "alpha" },
    ],
    returnEvents: {
      "02": "registered",
      "03": "rejected",
      "06": "paid",
      "07": "paid",
      "08": "paid",
      "09": "written_off",
      "10": "written_off",
      "14": "due_date_changed",
      "32": "protested",
    },
  },
  "237": {
    source: "Bradesco, Cobrança Bradesco CNAB 400 (layout de arquivo remessa/retorno)",
    bankName: "BRADESCO",
    remittance: [
      { name: "wallet", start: 22, end: 24, type: "num" },
      { name: "agency", start: 25, end: 29, type: "num" },
      { name: "account", start: 30, end: 36, type: "num" },
      { name: "accountDigit", start: 37, end: 37, type: "alpha" },
      { name: "fineCode", start: 66, end: 66, type: "num" },
      { name: "fineBps", start: 67, end: 70, type: "num" },
      { name: "ourNumber", start: 71, end: 82, type: "alpha" },
    ],
    return: [
      { name: "wallet", start: 22, end: 24, type: "num" },
      { name: "agency", start: 25, end: 29, type: "num" },
      { name: "account", start: 30, end: 36, type: "num" },
      { name: "accountDigit", start: 37, end: 37, type: "alpha" },
      { name: "ourNumber", start: 71, end: 82, type: "alpha" },
      { name: "reasons", start: 319, end: 328, type: "alpha" },
    ],
    returnEvents: {
      "02": "registered",
      "03": "rejected",
      "06": "paid",
      "09": "written_off",
      "10": "written_off",
      "14": "due_date_changed",
      "15": "paid",
      "17": "paid",
    },
  },
  "033": {
    source: "Santander, Cobrança CNAB 400 (layout de remessa e retorno)",
    bankName: "SANTANDER",
    remittance: [
      { name: "agency", start: 18, end: 21, type: "num" },
      { name: "account", start: 22, end: 29, type: "num" },
      { name: "ourNumber", start: 63, end: 70, type: "num" },
      { name: "fineCode", start: 79, end: 79, type: "num" },
      { name: "fineBps", start: 80, end: 83, type: "num" },
      { name: "wallet", start: 108, end: 108, type: "num" },
      { name: "bank", start: 140, end: 142, type: "num", value: "033" },
    ],
    return: [
      { name: "agency", start: 18, end: 21, type: "num" },
      { name: "account", start: 22, end: 29, type: "num" },
      { name: "ourNumber", start: 63, end: 70, type: "num" },
      { name: "wallet", start: 108, end: 108, type: "num" },
      { name: "reasons", start: 137, end: 145, type: "alpha" },
    ],
    returnEvents: {
      "02": "registered",
      "03": "rejected",
      "06": "paid",
      "07": "paid",
      "08": "paid",
      "09": "written_off",
      "10": "written_off",
      "14": "due_date_changed",
    },
  },
};

export function isCnab400Bank(code: string): code is Cnab400Bank {
  return (CNAB400_BANKS as readonly string[]).includes(code);
}

export function cnab400Layout(bank: Cnab400Bank): CnabLayout {
  const spec = BANKS[bank];
  return {
    kind: "cnab400",
    bank,
    width: 400,
    source: spec.source,
    envelope: { fileHeader, fileTrailer },
    remittanceDetail: [withFields(remittanceCore, spec.remittance)],
    returnDetail: [withFields(returnCore, spec.return)],
    returnEvents: spec.returnEvents,
    instructionCodes: { register: "01", write_off: "02", change_due_date: "06", protest: "09" },
  };
}

export function cnab400BankName(bank: Cnab400Bank): string {
  return BANKS[bank].bankName;
}
