import type { BankCode } from "../bank-boleto.ts";
import { ITAU_RETURN_EVENTS } from "./cnab240.ts";
import { type CnabLayout, type FieldSpec, type RecordSpec, withFields } from "./layout.ts";

/**
 * CNAB 400 for collection: one detail line (type 1) per title, and for Itaú an optional fine
 * record (type 2). The positions are each bank's (Itaú, Bradesco, Santander); they share the common
 * core below and differ where the banks do. Each bank was checked against eduardokum/laravel-boleto
 * (src/Cnab/Remessa/Cnab400/Banco/ and src/Cnab/Retorno/Cnab400/Banco/); what each rests on, and
 * what stays unverified, is in docs/bank-files.md.
 */

export const CNAB400_BANKS = ["341", "237", "033"] as const satisfies readonly BankCode[];
export type Cnab400Bank = (typeof CNAB400_BANKS)[number];

const fileHeader: RecordSpec = {
  name: "fileHeader",
  fields: [
    { name: "recordType", start: 1, end: 1, type: "num", value: "0" },
    { name: "direction", start: 2, end: 2, type: "num" },
    { name: "directionName", start: 3, end: 9, type: "alpha" },
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

/**
 * Itaú's fine record (registro tipo 2, "multa"), optional after the title's detail line: code 2
 * (percentage), the day the fine starts (DDMMAAAA) and the percentage with two decimals — checked
 * against laravel-boleto src/Cnab/Remessa/Cnab400/Banco/Itau.php.
 */
const itauFine: RecordSpec = {
  name: "fine",
  optional: true,
  fields: [
    { name: "recordType", start: 1, end: 1, type: "num", value: "2" },
    { name: "fineCode", start: 2, end: 2, type: "num" },
    { name: "fineFrom", start: 3, end: 10, type: "date" },
    /** percent with two decimals, i.e. basis points */
    { name: "fineBps", start: 11, end: 23, type: "cents" },
    { name: "lineSequence", start: 395, end: 400, type: "num" },
  ],
};

interface Bank400 {
  source: string;
  bankName: string;
  header: FieldSpec[];
  removeHeader?: string[];
  remittance: FieldSpec[];
  removeRemittance?: string[];
  /** records after the detail line, in file order */
  remittanceExtra?: RecordSpec[];
  return: FieldSpec[];
  returnEvents: CnabLayout["returnEvents"];
  protestInstruction: string;
  finePercentCode: string;
}

const BANKS: Record<Cnab400Bank, Bank400> = {
  "341": {
    source:
      "Itaú, Cobrança CNAB 400, checked against eduardokum/laravel-boleto Cnab400/Banco/Itau.php (remessa and retorno): agency 18–21, account 24–28 + digit 29, nosso número without DAC 63–70 (with DAC 86–94 in the return), wallet 84–86, protest instruction 09 with its days in 392–393, fine in the type-2 record",
    bankName: "BANCO ITAU SA",
    header: [
      { name: "agency", start: 27, end: 30, type: "num" },
      { name: "zeros", start: 31, end: 32, type: "num", value: "00", writeOnly: true },
      { name: "account", start: 33, end: 37, type: "num" },
      { name: "accountDigit", start: 38, end: 38, type: "alpha" },
    ],
    removeHeader: ["agreement"],
    remittance: [
      { name: "agency", start: 18, end: 21, type: "num" },
      { name: "zeros", start: 22, end: 23, type: "num", value: "00", writeOnly: true },
      { name: "account", start: 24, end: 28, type: "num" },
      { name: "accountDigit", start: 29, end: 29, type: "alpha" },
      { name: "ourNumber", start: 63, end: 70, type: "num", withoutCheckDigit: true },
      { name: "wallet", start: 84, end: 86, type: "num" },
      { name: "walletCode", start: 108, end: 108, type: "alpha", value: "I" },
      { name: "bank", start: 140, end: 142, type: "num", value: "341" },
      { name: "instruction2", start: 159, end: 160, type: "num" },
      { name: "protestDays", start: 392, end: 393, type: "num" },
    ],
    remittanceExtra: [itauFine],
    return: [
      { name: "agency", start: 18, end: 21, type: "num" },
      { name: "account", start: 24, end: 28, type: "num" },
      { name: "accountDigit", start: 29, end: 29, type: "alpha" },
      { name: "wallet", start: 83, end: 85, type: "num" },
      { name: "ourNumber", start: 86, end: 94, type: "num" },
      { name: "reasons", start: 378, end: 385, type: "alpha" },
    ],
    returnEvents: ITAU_RETURN_EVENTS,
    protestInstruction: "09",
    finePercentCode: "2",
  },
  "237": {
    source:
      "Bradesco, Cobrança CNAB 400, checked against eduardokum/laravel-boleto Cnab400/Banco/Bradesco.php (remessa and retorno): 2–20 are direct-debit fields (left empty), wallet/agency/account 22–37, fine 66–70, nosso número 71–82, payer name of 40, no city or state (335–394 is the guarantor or a second message), remittance number in 111–117 of the header",
    bankName: "BRADESCO",
    header: [
      { name: "system", start: 109, end: 110, type: "alpha", value: "MX", writeOnly: true },
      { name: "fileSequence", start: 111, end: 117, type: "num" },
    ],
    remittance: [
      { name: "wallet", start: 22, end: 24, type: "num" },
      { name: "agency", start: 25, end: 29, type: "num" },
      { name: "account", start: 30, end: 36, type: "num" },
      { name: "accountDigit", start: 37, end: 37, type: "alpha" },
      { name: "fineCode", start: 66, end: 66, type: "num" },
      { name: "fineBps", start: 67, end: 70, type: "num" },
      { name: "ourNumber", start: 71, end: 82, type: "alpha" },
      // 2: the beneficiary prints the boleto, the bank only registers it
      { name: "issuer", start: 93, end: 93, type: "num", value: "2" },
      { name: "payerName", start: 235, end: 274, type: "alpha" },
    ],
    removeRemittance: ["companyDocumentType", "companyDocument", "payerCity", "payerState"],
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
      // entrada do título em cartório
      "23": "protested",
    },
    protestInstruction: "06",
    finePercentCode: "2",
  },
  "033": {
    source:
      "Santander, Cobrança CNAB 400, checked against eduardokum/laravel-boleto Cnab400/Banco/Santander.php (remessa and retorno): código de transmissão (agency 4 + beneficiary 8 + account 8) in 18–37 and in 27–46 of the header, nosso número (7 + digit) 63–70, fine code 4 at 78 and percent 79–82, payer name of 40, protest days in 392–393",
    bankName: "SANTANDER",
    header: [
      { name: "agency", start: 27, end: 30, type: "num" },
      { name: "agreement", start: 31, end: 38, type: "num" },
      { name: "account", start: 39, end: 46, type: "num" },
    ],
    remittance: [
      { name: "agency", start: 18, end: 21, type: "num" },
      { name: "agreement", start: 22, end: 29, type: "num" },
      { name: "account", start: 30, end: 37, type: "num" },
      { name: "ourNumber", start: 63, end: 70, type: "num" },
      // 4: percentage (Santander's code; Bradesco's is 2)
      { name: "fineCode", start: 78, end: 78, type: "num" },
      { name: "fineBps", start: 79, end: 82, type: "num" },
      { name: "wallet", start: 108, end: 108, type: "num" },
      { name: "bank", start: 140, end: 142, type: "num", value: "033" },
      { name: "instruction2", start: 159, end: 160, type: "num" },
      { name: "payerName", start: 235, end: 274, type: "alpha" },
      { name: "protestDays", start: 392, end: 393, type: "num" },
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
      // liquidado em cartório
      "17": "paid",
    },
    protestInstruction: "06",
    finePercentCode: "4",
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
    envelope: { fileHeader: withFields(fileHeader, spec.header, spec.removeHeader), fileTrailer },
    remittanceDetail: [
      withFields(remittanceCore, spec.remittance, spec.removeRemittance),
      ...(spec.remittanceExtra ?? []),
    ],
    returnDetail: [withFields(returnCore, spec.return)],
    returnEvents: spec.returnEvents,
    instructionCodes: { register: "01", write_off: "02", change_due_date: "06", protest: "09" },
    protestInstruction: spec.protestInstruction,
    finePercentCode: spec.finePercentCode,
  };
}

export function cnab400BankName(bank: Cnab400Bank): string {
  return BANKS[bank].bankName;
}
