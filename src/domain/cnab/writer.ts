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
}

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
        bankName: envelope.bankName,
        generatedOn: envelope.generatedOn,
        fileSequence: envelope.fileSequence,
        lineSequence: 1,
      },
      layout.width,
    ),
  );
  const batch = layout.envelope.batchHeader;
  if (batch) {
    yield line(
      writeRecord(
        batch,
        {
          ...common,
          batch: 1,
          operation: direction === "remittance" ? "R" : "T",
          fileSequence: envelope.fileSequence,
          recordedOn: envelope.generatedOn,
        },
        layout.width,
      ),
    );
  }
  let inBatch = 0;
  for (const title of titles) {
    for (const [index, values] of title.entries()) {
      if (!values) continue;
      inBatch += 1;
      yield line(
        writeRecord(
          details[index]!,
          { ...values, bank: layout.bank, batch: 1, sequence: inBatch, lineSequence: lines + 1 },
          layout.width,
        ),
      );
    }
  }
  if (layout.envelope.batchTrailer) {
    yield line(
      writeRecord(
        layout.envelope.batchTrailer,
        { bank: layout.bank, batch: 1, recordCount: inBatch + 2 },
        layout.width,
      ),
    );
  }
  yield line(
    writeRecord(
      layout.envelope.fileTrailer,
      { bank: layout.bank, batchCount: 1, recordCount: lines + 1, lineSequence: lines + 1 },
      layout.width,
    ),
  );
}
