import type { IsoDate } from "../dates.ts";
import { CnabFieldError, type RecordValues, readRecord, recordMatches } from "./codec.ts";
import type { CanonicalEvent, CnabLayout, Direction, Instruction, LayoutKind, RecordSpec } from "./layout.ts";
import { layoutFor } from "./layouts.ts";

/**
 * Reads a CNAB file line by line (streamed: memory does not grow with the file) and yields, in
 * order, the file's header, one canonical record per title, and a problem for every line that
 * could not be read — never dropping one.
 */

export interface CnabFileHeader {
  type: "header";
  layout: LayoutKind;
  bank: string;
  direction: Direction;
  fileSequence: number;
  generatedOn: IsoDate | null;
}

/** A title's movement in a return file, in the bank-neutral shape the importer applies. */
export interface ReturnRecord {
  type: "return";
  line: number;
  ourNumber: string;
  occurrenceCode: string;
  event: CanonicalEvent;
  /** the bank's reason codes (rejections, write-offs), as the bank wrote them */
  reasons: string;
  documentNumber: string;
  dueDate: IsoDate | null;
  amountCents: number;
  paidCents: number;
  interestCents: number;
  discountCents: number;
  rebateCents: number;
  feeCents: number;
  occurredOn: IsoDate | null;
  creditedOn: IsoDate | null;
  payerDocument: string;
}

/** A title's instruction in a remittance file (what Régua asked of the bank). */
export interface RemittanceRecord {
  type: "remittance";
  line: number;
  instruction: Instruction | null;
  movementCode: string;
  values: RecordValues;
}

export interface CnabProblem {
  type: "problem";
  line: number;
  message: string;
}

export type CnabItem = CnabFileHeader | ReturnRecord | RemittanceRecord | CnabProblem;

/** Recognises the layout, bank and direction from a file's first line. */
export function detectLayout(firstLine: string): { layout: CnabLayout; direction: Direction } | null {
  const line = firstLine.replace(/\r$/, "");
  if (line.length === 240 && line[7] === "0") {
    const layout = layoutFor("cnab240", line.slice(0, 3));
    const direction = line[142] === "1" ? "remittance" : line[142] === "2" ? "return" : null;
    return layout && direction ? { layout, direction } : null;
  }
  if (line.length === 400 && line[0] === "0") {
    const layout = layoutFor("cnab400", line.slice(76, 79));
    const direction = line[1] === "1" ? "remittance" : line[1] === "2" ? "return" : null;
    return layout && direction ? { layout, direction } : null;
  }
  return null;
}

export async function* readCnab(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<CnabItem> {
  let lineNumber = 0;
  let reader: TitleReader | null = null;
  let unreadable = false;
  for await (const raw of lines) {
    lineNumber += 1;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (reader === null) {
      if (unreadable) {
        if (!isBlank(line))
          yield problem(lineNumber, "linha não lida: o cabeçalho do arquivo não foi reconhecido");
        continue;
      }
      const detected = detectLayout(line);
      if (!detected) {
        unreadable = true;
        yield problem(
          lineNumber,
          "cabeçalho não reconhecido: esperado um arquivo CNAB 240 ou 400 de um banco suportado (001, 033, 104, 237, 341, 748, 756)",
        );
        continue;
      }
      reader = new TitleReader(detected.layout, detected.direction);
      yield reader.header(line);
      continue;
    }
    yield* reader.read(line, lineNumber);
  }
  if (reader) yield* reader.finish(lineNumber);
  else if (!unreadable) yield problem(1, "arquivo vazio");
}

/** A line of nothing but blanks; a record's line starts with its bank's digits, and is not trimmed. */
function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === "");
}

function problem(line: number, message: string): CnabProblem {
  return { type: "problem", line, message };
}

/** Groups a title's records (T+U, P+Q+R, or one CNAB 400 line) and checks the envelope. */
class TitleReader {
  private readonly layout: CnabLayout;
  private readonly direction: Direction;
  private readonly details: RecordSpec[];
  /** how many of a title's records must be there (the optional ones come last) */
  private readonly required: number;
  private pending: { line: number; values: RecordValues; next: number } | null = null;
  private lines = 1;
  private trailerSeen = false;

  constructor(layout: CnabLayout, direction: Direction) {
    this.layout = layout;
    this.direction = direction;
    this.details = direction === "return" ? layout.returnDetail : layout.remittanceDetail;
    this.required = this.details.filter((spec) => !spec.optional).length;
  }

  header(line: string): CnabFileHeader {
    const values = readRecord(this.layout.envelope.fileHeader, line);
    return {
      type: "header",
      layout: this.layout.kind,
      bank: this.layout.bank,
      direction: this.direction,
      fileSequence: Number(values.fileSequence ?? 0),
      generatedOn: (values.generatedOn as IsoDate | null) ?? null,
    };
  }

  *read(line: string, lineNumber: number): Generator<CnabItem> {
    if (isBlank(line) || line === "\x1a") return; // blank line or DOS end-of-file mark
    this.lines += 1;
    if (this.trailerSeen) {
      yield problem(lineNumber, "linha depois do trailer do arquivo");
      return;
    }
    if (line.length !== this.layout.width) {
      yield* this.flushPending("título incompleto antes de uma linha inválida");
      yield problem(
        lineNumber,
        `linha com ${line.length} caracteres: o layout ${this.layout.kind} tem ${this.layout.width} (arquivo truncado ou corrompido)`,
      );
      return;
    }
    const envelope = this.layout.envelope;
    if (recordMatches(envelope.fileTrailer, line)) {
      yield* this.flushPending("título incompleto no fim do arquivo");
      this.trailerSeen = true;
      yield* this.checkTrailer(line, lineNumber);
      return;
    }
    if (
      (envelope.batchHeader && recordMatches(envelope.batchHeader, line)) ||
      (envelope.batchTrailer && recordMatches(envelope.batchTrailer, line))
    ) {
      yield* this.flushPending("título incompleto antes do fim do lote");
      return;
    }
    yield* this.readDetail(line, lineNumber);
  }

  private *readDetail(line: string, lineNumber: number): Generator<CnabItem> {
    const index = this.details.findIndex((spec) => recordMatches(spec, line));
    if (index < 0) {
      yield* this.flushPending("título incompleto");
      yield problem(
        lineNumber,
        `registro desconhecido para ${this.layout.kind} do banco ${this.layout.bank}`,
      );
      return;
    }
    let values: RecordValues;
    try {
      values = readRecord(this.details[index]!, line);
    } catch (error) {
      if (!(error instanceof CnabFieldError)) throw error;
      yield* this.flushPending("título incompleto");
      yield problem(lineNumber, error.message);
      return;
    }
    if (index === 0) {
      yield* this.flushPending("título incompleto: faltou o segmento seguinte");
      this.pending = { line: lineNumber, values, next: 1 };
    } else if (!this.pending || this.pending.next !== index) {
      yield problem(
        lineNumber,
        `segmento ${this.details[index]!.name} fora de ordem (sem o segmento ${this.details[0]!.name} antes)`,
      );
      return;
    } else {
      Object.assign(this.pending.values, values);
      this.pending.next += 1;
    }
    // the title is whole once every record arrived; one waiting for an optional record (segment R,
    // Itaú 400's fine record) is completed by the next title's first record or the trailer
    if (this.pending.next === this.details.length) {
      yield this.complete(this.pending.line, this.pending.values);
      this.pending = null;
    }
  }

  /** A title waiting for an optional segment is complete; one missing a required segment is a problem. */
  private *flushPending(message: string): Generator<CnabItem> {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    if (pending.next >= this.required) yield this.complete(pending.line, pending.values);
    else yield problem(pending.line, message);
  }

  private *checkTrailer(line: string, lineNumber: number): Generator<CnabItem> {
    const values = readRecord(this.layout.envelope.fileTrailer, line);
    const declared = Number(values.recordCount ?? values.lineSequence ?? 0);
    if (declared !== this.lines) {
      yield problem(
        lineNumber,
        `o trailer declara ${declared} registros, mas o arquivo tem ${this.lines} (arquivo truncado ou alterado)`,
      );
    }
  }

  *finish(lastLine: number): Generator<CnabItem> {
    yield* this.flushPending("título incompleto no fim do arquivo");
    if (!this.trailerSeen) yield problem(lastLine + 1, "arquivo truncado: falta o trailer do arquivo");
  }

  private complete(line: number, values: RecordValues): ReturnRecord | RemittanceRecord {
    const movement = String(values.movement ?? "");
    if (this.direction === "remittance") {
      const instruction =
        (Object.entries(this.layout.instructionCodes).find(([, code]) => code === movement)?.[0] as
          | Instruction
          | undefined) ?? null;
      return { type: "remittance", line, instruction, movementCode: movement, values };
    }
    return returnRecord(this.layout, line, values);
  }
}

function returnRecord(layout: CnabLayout, line: number, values: RecordValues): ReturnRecord {
  const code = String(values.movement ?? "");
  const cents = (name: string) => Number(values[name] ?? 0);
  return {
    type: "return",
    line,
    ourNumber: normalizeOurNumber(String(values.ourNumber ?? "")),
    occurrenceCode: code,
    event: layout.returnEvents[code] ?? "other",
    reasons: String(values.reasons ?? "").trim(),
    documentNumber: String(values.documentNumber ?? ""),
    dueDate: (values.dueDate as IsoDate | null) ?? null,
    amountCents: cents("faceValue"),
    paidCents: cents("paid"),
    interestCents: cents("interest"),
    discountCents: cents("discountGranted"),
    rebateCents: cents("rebateGranted"),
    feeCents: cents("fee"),
    occurredOn: (values.occurredOn as IsoDate | null) ?? null,
    creditedOn: (values.creditedOn as IsoDate | null) ?? null,
    payerDocument: payerDocument(values),
  };
}

/** The payer's CPF (type 1) or CNPJ (type 2) without the zeros the file pads it with. */
function payerDocument(values: RecordValues): string {
  const digits = String(values.payerDocument ?? "");
  const kind = Number(values.payerDocumentType ?? 0);
  if (kind === 1) return digits.slice(-11);
  if (kind === 2) return digits.slice(-14);
  return digits.replace(/^0+(?=.)/, "");
}

/** Our numbers compare without blanks and leading zeros (banks pad them differently). */
export function normalizeOurNumber(value: string): string {
  return value.replace(/\s/g, "").replace(/^0+(?=.)/, "");
}
