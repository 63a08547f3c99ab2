import type { BankCode } from "../bank-boleto.ts";
import { type CnabLayout, type FieldSpec, type RecordSpec, withFields } from "./layout.ts";

/**
 * CNAB 240 for collection (cobrança), FEBRABAN layout v10 (file and batch envelopes, segments P, Q
 * and R to the bank, T and U from it), and each bank's deviations as field replacements. What each
 * deviation rests on is in docs/bank-files.md.
 */

const control = (recordType: string, batch?: string): FieldSpec[] => [
  { name: "bank", start: 1, end: 3, type: "num" },
  batch === undefined
    ? { name: "batch", start: 4, end: 7, type: "num" }
    : { name: "batch", start: 4, end: 7, type: "num", value: batch },
  { name: "recordType", start: 8, end: 8, type: "num", value: recordType },
];

const detail = (segment: string): FieldSpec[] => [
  ...control("3"),
  { name: "sequence", start: 9, end: 13, type: "num" },
  { name: "segment", start: 14, end: 14, type: "alpha", value: segment },
  { name: "movement", start: 16, end: 17, type: "num" },
];

const fileHeader: RecordSpec = {
  name: "fileHeader",
  fields: [
    ...control("0", "0000"),
    { name: "companyDocumentType", start: 18, end: 18, type: "num" },
    { name: "companyDocument", start: 19, end: 32, type: "num" },
    { name: "agreement", start: 33, end: 52, type: "alpha" },
    { name: "agency", start: 53, end: 57, type: "num" },
    { name: "agencyDigit", start: 58, end: 58, type: "alpha" },
    { name: "account", start: 59, end: 70, type: "num" },
    { name: "accountDigit", start: 71, end: 71, type: "alpha" },
    { name: "companyName", start: 73, end: 102, type: "alpha" },
    { name: "bankName", start: 103, end: 132, type: "alpha" },
    { name: "direction", start: 143, end: 143, type: "num" },
    { name: "generatedOn", start: 144, end: 151, type: "date" },
    { name: "fileSequence", start: 158, end: 163, type: "num" },
    { name: "layoutVersion", start: 164, end: 166, type: "num", value: "103" },
  ],
};

const batchHeader: RecordSpec = {
  name: "batchHeader",
  fields: [
    ...control("1"),
    { name: "operation", start: 9, end: 9, type: "alpha" },
    { name: "service", start: 10, end: 11, type: "num", value: "01" },
    { name: "layoutVersion", start: 14, end: 16, type: "num", value: "060" },
    { name: "companyDocumentType", start: 18, end: 18, type: "num" },
    { name: "companyDocument", start: 19, end: 33, type: "num" },
    { name: "agreement", start: 34, end: 53, type: "alpha" },
    { name: "agency", start: 54, end: 58, type: "num" },
    { name: "agencyDigit", start: 59, end: 59, type: "alpha" },
    { name: "account", start: 60, end: 71, type: "num" },
    { name: "accountDigit", start: 72, end: 72, type: "alpha" },
    { name: "companyName", start: 74, end: 103, type: "alpha" },
    { name: "fileSequence", start: 184, end: 191, type: "num" },
    { name: "recordedOn", start: 192, end: 199, type: "date" },
  ],
};

const batchTrailer: RecordSpec = {
  name: "batchTrailer",
  fields: [...control("5"), { name: "recordCount", start: 18, end: 23, type: "num" }],
};

const fileTrailer: RecordSpec = {
  name: "fileTrailer",
  fields: [
    ...control("9", "9999"),
    { name: "batchCount", start: 18, end: 23, type: "num" },
    { name: "recordCount", start: 24, end: 29, type: "num" },
  ],
};

const segmentP: RecordSpec = {
  name: "P",
  fields: [
    ...detail("P"),
    { name: "agency", start: 18, end: 22, type: "num" },
    { name: "agencyDigit", start: 23, end: 23, type: "alpha" },
    { name: "account", start: 24, end: 35, type: "num" },
    { name: "accountDigit", start: 36, end: 36, type: "alpha" },
    { name: "ourNumber", start: 38, end: 57, type: "alpha" },
    { name: "wallet", start: 58, end: 58, type: "num" },
    { name: "registration", start: 59, end: 59, type: "num", value: "1" },
    { name: "documentKind", start: 60, end: 60, type: "num", value: "1" },
    { name: "issuer", start: 61, end: 61, type: "num", value: "2" },
    { name: "distribution", start: 62, end: 62, type: "alpha", value: "2" },
    { name: "documentNumber", start: 63, end: 77, type: "alpha" },
    { name: "dueDate", start: 78, end: 85, type: "date" },
    { name: "faceValue", start: 86, end: 100, type: "cents" },
    { name: "species", start: 107, end: 108, type: "num", value: "02" },
    { name: "acceptance", start: 109, end: 109, type: "alpha", value: "N" },
    { name: "issuedOn", start: 110, end: 117, type: "date" },
    { name: "interestCode", start: 118, end: 118, type: "num" },
    { name: "interestFrom", start: 119, end: 126, type: "date" },
    { name: "interestPerDay", start: 127, end: 141, type: "cents" },
    { name: "discountCode", start: 142, end: 142, type: "num" },
    { name: "discountUntil", start: 143, end: 150, type: "date" },
    { name: "discount", start: 151, end: 165, type: "cents" },
    { name: "rebate", start: 181, end: 195, type: "cents" },
    { name: "companyUse", start: 196, end: 220, type: "alpha" },
    { name: "protestCode", start: 221, end: 221, type: "num" },
    { name: "protestDays", start: 222, end: 223, type: "num" },
    { name: "writeOffCode", start: 224, end: 224, type: "num" },
    { name: "writeOffDays", start: 225, end: 227, type: "num" },
    { name: "currency", start: 228, end: 229, type: "num", value: "09" },
  ],
};

const segmentQ: RecordSpec = {
  name: "Q",
  fields: [
    ...detail("Q"),
    { name: "payerDocumentType", start: 18, end: 18, type: "num" },
    { name: "payerDocument", start: 19, end: 33, type: "num" },
    { name: "payerName", start: 34, end: 73, type: "alpha" },
    { name: "payerAddress", start: 74, end: 113, type: "alpha" },
    { name: "payerDistrict", start: 114, end: 128, type: "alpha" },
    { name: "payerPostalCode", start: 129, end: 136, type: "num" },
    { name: "payerCity", start: 137, end: 151, type: "alpha" },
    { name: "payerState", start: 152, end: 153, type: "alpha" },
  ],
};

const segmentR: RecordSpec = {
  name: "R",
  fields: [
    ...detail("R"),
    { name: "fineCode", start: 66, end: 66, type: "num" },
    { name: "fineFrom", start: 67, end: 74, type: "date" },
    /** code 2: percent with two decimals, i.e. basis points */
    { name: "fineBps", start: 75, end: 89, type: "cents" },
  ],
};

const segmentT: RecordSpec = {
  name: "T",
  fields: [
    ...detail("T"),
    { name: "agency", start: 18, end: 22, type: "num" },
    { name: "agencyDigit", start: 23, end: 23, type: "alpha" },
    { name: "account", start: 24, end: 35, type: "num" },
    { name: "accountDigit", start: 36, end: 36, type: "alpha" },
    { name: "ourNumber", start: 38, end: 57, type: "alpha" },
    { name: "wallet", start: 58, end: 58, type: "num" },
    { name: "documentNumber", start: 59, end: 73, type: "alpha" },
    { name: "dueDate", start: 74, end: 81, type: "date" },
    { name: "faceValue", start: 82, end: 96, type: "cents" },
    { name: "companyUse", start: 106, end: 130, type: "alpha" },
    { name: "payerDocumentType", start: 133, end: 133, type: "num" },
    { name: "payerDocument", start: 134, end: 148, type: "num" },
    { name: "payerName", start: 149, end: 188, type: "alpha" },
    { name: "fee", start: 199, end: 213, type: "cents" },
    { name: "reasons", start: 214, end: 223, type: "alpha" },
  ],
};

const segmentU: RecordSpec = {
  name: "U",
  fields: [
    ...detail("U"),
    { name: "interest", start: 18, end: 32, type: "cents" },
    { name: "discountGranted", start: 33, end: 47, type: "cents" },
    { name: "rebateGranted", start: 48, end: 62, type: "cents" },
    { name: "iof", start: 63, end: 77, type: "cents" },
    { name: "paid", start: 78, end: 92, type: "cents" },
    { name: "net", start: 93, end: 107, type: "cents" },
    { name: "occurredOn", start: 138, end: 145, type: "date" },
    { name: "creditedOn", start: 146, end: 153, type: "date" },
  ],
};

/** FEBRABAN movement codes of the return (Nota 20 of the v10 layout). */
const FEBRABAN_RETURN_EVENTS: CnabLayout["returnEvents"] = {
  "02": "registered",
  "03": "rejected",
  "06": "paid",
  "09": "written_off",
  "14": "due_date_changed",
  "17": "paid",
  "25": "protested",
};

interface Deviation {
  source: string;
  P?: FieldSpec[];
  T?: FieldSpec[];
  removeP?: string[];
  removeT?: string[];
  returnEvents?: CnabLayout["returnEvents"];
}

const DEVIATIONS: Record<BankCode, Deviation> = {
  "001": {
    source:
      "FEBRABAN v10; Banco do Brasil: nosso número (convênio 7 + sequência 10) alinhado à esquerda em 38–57",
  },
  "033": {
    source: "FEBRABAN v10 with Santander's positions for agency, account and nosso número (13 digits)",
    P: [
      { name: "agency", start: 18, end: 21, type: "num" },
      { name: "agencyDigit", start: 22, end: 22, type: "alpha" },
      { name: "account", start: 23, end: 31, type: "num" },
      { name: "accountDigit", start: 32, end: 32, type: "alpha" },
      { name: "ourNumber", start: 45, end: 57, type: "num" },
    ],
    T: [
      { name: "agency", start: 18, end: 21, type: "num" },
      { name: "agencyDigit", start: 22, end: 22, type: "alpha" },
      { name: "account", start: 23, end: 31, type: "num" },
      { name: "accountDigit", start: 32, end: 32, type: "alpha" },
      { name: "ourNumber", start: 41, end: 53, type: "num" },
    ],
    removeT: ["wallet"],
  },
  "104": {
    source: "FEBRABAN v10 with Caixa SIGCB's beneficiary code and nosso número (modality 14 + 15 digits)",
    P: [
      { name: "agreement", start: 24, end: 29, type: "num" },
      { name: "ourNumber", start: 41, end: 57, type: "num" },
    ],
    removeP: ["account", "accountDigit"],
    T: [
      { name: "agreement", start: 24, end: 29, type: "num" },
      { name: "ourNumber", start: 40, end: 56, type: "num" },
    ],
    removeT: ["account", "accountDigit"],
  },
  "237": {
    source: "FEBRABAN v10 with Bradesco's wallet (38–40) and nosso número (11 + check digit, 46–57)",
    P: [
      { name: "bankWallet", start: 38, end: 40, type: "num" },
      { name: "ourNumber", start: 46, end: 57, type: "alpha" },
    ],
    T: [
      { name: "bankWallet", start: 38, end: 40, type: "num" },
      { name: "ourNumber", start: 46, end: 57, type: "alpha" },
    ],
  },
  "341": {
    source: "FEBRABAN v10 with Itaú's wallet (38–40) and nosso número (8 + DAC, 41–49)",
    P: [
      { name: "bankWallet", start: 38, end: 40, type: "num" },
      { name: "ourNumber", start: 41, end: 49, type: "num" },
    ],
    T: [
      { name: "bankWallet", start: 38, end: 40, type: "num" },
      { name: "ourNumber", start: 41, end: 49, type: "num" },
    ],
  },
  "748": {
    source: "FEBRABAN v10; Sicredi: nosso número (9 digits) alinhado à esquerda em 38–57",
  },
  "756": {
    source: "FEBRABAN v10 with Sicoob's nosso número (10, 38–47), installment (48–49) and modality (50–51)",
    P: [
      { name: "ourNumber", start: 38, end: 47, type: "num" },
      { name: "installment", start: 48, end: 49, type: "num", value: "01" },
      { name: "modality", start: 50, end: 51, type: "num", value: "01" },
    ],
    T: [{ name: "ourNumber", start: 38, end: 47, type: "num" }],
  },
};

export function cnab240Layout(bank: BankCode): CnabLayout {
  const deviation = DEVIATIONS[bank];
  return {
    kind: "cnab240",
    bank,
    width: 240,
    source: deviation.source,
    envelope: { fileHeader, batchHeader, batchTrailer, fileTrailer },
    remittanceDetail: [withFields(segmentP, deviation.P ?? [], deviation.removeP), segmentQ, segmentR],
    returnDetail: [withFields(segmentT, deviation.T ?? [], deviation.removeT), segmentU],
    returnEvents: { ...FEBRABAN_RETURN_EVENTS, ...deviation.returnEvents },
    instructionCodes: { register: "01", write_off: "02", change_due_date: "06", protest: "09" },
  };
}
