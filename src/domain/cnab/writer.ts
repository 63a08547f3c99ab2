import type { IsoDate } from "../dates.ts";
import { type RecordValues, writeRecord } from "./codec.ts";
import type { CnabLayout, Direction } from "./layout.ts";

/**
 * Writes a whole CNAB file, envelope included, from the titles' record values (one array per
 * title, aligned with the layout's detail records; a missing optional record is left out). Lines
 * are produced one at a time, so a file of any size is written with flat memory.
 */

export interface FileEnvelope {
  companyDocument: string;
  companyName: string;
  agreement: string;
  agency: string;
  agencyDigit: string;
  account: string;
  accountDigit: string;
  bankName: string;
  fileSequence: number;
  generatedOn: IsoDate;
  /** the account's wallet, where a bank wants it in the header (Banco do Brasil) */
  wallet?: string;
}

/** Records per CNAB 240 batch (the segment sequence has 5 digits). */
export const MAX_BATCH_RECORDS = 99_999;

export function* writeCnabFile(
  layout: CnabLayout,
  direction: Direction,
  envelope: FileEnvelope,
  titles: Iterable<(RecordValues | null)[]>,
): Generator<string> {
  const details = direction === "return" ? layout.returnDetail : layout.remittanceDetail;
  const documentType = envelope.companyDocument.length === 11 ? 1 : 2;
  const common = {
    bank: layout.bank,
    companyDocumentType: layout.kind === "cnab400" ? `0${documentType}` : documentType,
    companyDocument: envelope.companyDocument,
    companyName: envelope.companyName,
    agreement: envelope.agreement,
    agency: envelope.agency,
    agencyDigit: envelope.agencyDigit,
    account: envelope.account,
    accountDigit: envelope.accountDigit,
    wallet: envelope.wallet ?? "",
  };
  let lines = 0;
  const line = (text: string) => {
    lines += 1;
    return text;
  };
  yield line(
    writeRecord(
      layout.envelope.fileHeader,
      {
        ...common,
        direction: direction === "remittance" ? 1 : 2,
        directionName: direction === "remittance" ? "REMESSA" : "RETORNO",
        bankName: envelope.bankName,
        generatedOn: envelope.generatedOn,
        fileSequence: envelope.fileSequence,
        lineSequence: 1,
      },
      layout.width,
    ),
  );
  const batchHeader = layout.envelope.batchHeader;
  const batchTrailer = layout.envelope.batchTrailer;
  let batch = 0;
  let inBatch = 0;
  const openBatch = () => {
    batch += 1;
    inBatch = 0;
    return line(
      writeRecord(
        batchHeader!,
        {
          ...common,
          batch,
          operation: direction === "remittance" ? "R" : "T",
          fileSequence: envelope.fileSequence,
          recordedOn: envelope.generatedOn,
        },
        layout.width,
      ),
    );
  };
  const closeBatch = () =>
    line(writeRecord(batchTrailer!, { bank: layout.bank, batch, recordCount: inBatch + 2 }, layout.width));
  if (batchHeader) yield openBatch();
  // one object for every detail line: the account's fields and the line's numbers, updated in place
  // (a file of 100,000 titles would otherwise copy them 300,000 times)
  const perLine: RecordValues = { ...common, bank: layout.bank, batch: 1, sequence: 0, lineSequence: 0 };
  for (const title of titles) {
    const records = title.filter((values) => values !== null).length;
    // a CNAB 240 batch numbers its records in 5 digits: a long file goes on in a new batch
    if (batchHeader && inBatch + records > MAX_BATCH_RECORDS) {
      yield closeBatch();
      yield openBatch();
    }
    for (let index = 0; index < title.length; index += 1) {
      const values = title[index];
      if (!values) continue;
      inBatch += 1;
      perLine.batch = Math.max(batch, 1);
      perLine.sequence = inBatch;
      perLine.lineSequence = lines + 1;
      // the account's agency, account and company document, where a bank repeats them per title
      yield line(writeRecord(details[index]!, values, layout.width, perLine));
    }
  }
  if (batchTrailer) yield closeBatch();
  yield line(
    writeRecord(
      layout.envelope.fileTrailer,
      { bank: layout.bank, batchCount: batch, recordCount: lines + 1, lineSequence: lines + 1 },
      layout.width,
    ),
  );
}
