import bwipjs from "bwip-js";
import PDFDocument from "pdfkit";
import { parseBoleto } from "../domain/boleto.ts";
import { formatBrazilianDate } from "../domain/dates.ts";
import { formatDocument, maskDocument } from "../domain/documents.ts";
import { formatBrl } from "../domain/money.ts";
import { pixQrPng } from "../domain/pix.ts";
import type { MessageData } from "../modules/templates/render.ts";
import type { Creditor } from "../modules/tenants/tenant.ts";

/** One letter: the rendered template plus the data it was rendered from (the debts to print). */
export interface Letter {
  title: string;
  text: string;
  data: MessageData;
  /** the day printed on the letter */
  date: string;
}

export type PdfDoc = InstanceType<typeof PDFDocument>;

export const MARGIN = 56;

/**
 * Letters as PDF (A4): the creditor's header (name, CNPJ, address — CDC art. 42-A), the debtor's
 * name and address for the window envelope, the template's text, a table of the debts with their
 * amounts updated to the letter's day, and for each debt its boleto (typeable line and ITF-25
 * barcode, FEBRABAN) and Pix QR code. Many letters make one PDF for the day's printing, each
 * starting on a new page.
 */
export async function lettersPdf(
  letters: Letter[],
  /** after each letter drawn (a long print reports its progress) */
  onLetter?: (drawn: number) => Promise<void> | void,
): Promise<Buffer> {
  const { doc, finished } = a4Document("Cartas de cobrança");
  for (const [index, letter] of letters.entries()) {
    await drawLetter(doc, letter);
    await onLetter?.(index + 1);
  }
  if (letters.length === 0) doc.addPage().fontSize(12).text("Nenhuma carta para este dia.");
  doc.end();
  return finished;
}

/** An A4 document without pages yet, and its bytes once `doc.end()` is called. */
export function a4Document(title: string): { doc: PdfDoc; finished: Promise<Buffer> } {
  const doc = new PDFDocument({ size: "A4", margin: MARGIN, autoFirstPage: false, info: { Title: title } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  return { doc, finished };
}

/** The creditor's header: name, CNPJ and address (CDC art. 42-A), and a rule under them. */
export function drawCreditorHeader(doc: PdfDoc, creditor: Creditor): void {
  const width = doc.page.width - MARGIN * 2;
  doc.font("Helvetica-Bold").fontSize(14).text(creditor.name, { width });
  doc
    .font("Helvetica")
    .fontSize(9)
    .text(`CNPJ ${formatDocument(creditor.document)} · ${creditor.address}`, { width });
  doc
    .moveTo(MARGIN, doc.y + 6)
    .lineTo(MARGIN + width, doc.y + 6)
    .stroke();
}

async function drawLetter(doc: PdfDoc, letter: Letter): Promise<void> {
  const { data } = letter;
  doc.addPage();
  const width = doc.page.width - MARGIN * 2;
  drawCreditorHeader(doc, data.creditor);
  doc.moveDown(1.5);
  doc.fontSize(10).text(`São Paulo, ${formatBrazilianDate(letter.date)}`, { align: "right", width });
  doc.moveDown();
  doc.font("Helvetica-Bold").fontSize(11).text(data.customer.name);
  doc
    .font("Helvetica")
    .fontSize(10)
    .text(`CPF/CNPJ ${maskDocument(data.customer.document)}`);
  if (data.customer.address) doc.text(data.customer.address, { width: width / 2 });
  doc.moveDown(1.5);
  doc.font("Helvetica-Bold").fontSize(13).text(letter.title, { width });
  doc.moveDown(0.5);
  doc.font("Helvetica").fontSize(10.5).text(letter.text.trim(), { width, lineGap: 2 });
  doc.moveDown();

  // the debts, updated to the letter's day
  const columns = [0, 200, 290, 380];
  const header = ["Descrição", "Vencimento", "Original", "Atualizado"];
  const row = (cells: string[], bold: boolean) => {
    if (doc.y > doc.page.height - MARGIN - 40) doc.addPage();
    const y = doc.y;
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(10);
    cells.forEach((cell, index) => {
      doc.text(cell, MARGIN + columns[index]!, y, {
        width: (columns[index + 1] ?? width) - columns[index]! - 6,
        lineBreak: false,
      });
    });
    doc.x = MARGIN;
    doc.y = y + 16;
  };
  row(header, true);
  for (const invoice of data.invoices) {
    row(
      [
        invoice.description,
        formatBrazilianDate(invoice.dueDate),
        formatBrl(invoice.originalCents),
        formatBrl(invoice.updatedCents),
      ],
      false,
    );
  }
  row(
    ["Total", "", "", formatBrl(data.invoices.reduce((sum, invoice) => sum + invoice.updatedCents, 0))],
    true,
  );
  doc.moveDown();

  for (const invoice of data.invoices) await drawPaymentBlock(doc, invoice, letter.date);
}

/**
 * How to pay one debt: its typeable line with the ITF-25 barcode (FEBRABAN) and its Pix QR code
 * with the copy-and-paste text; nothing when it has neither.
 */
export async function drawPaymentBlock(
  doc: PdfDoc,
  invoice: { description: string; typeableLine: string | null; pixPayload: string | null },
  date: string,
): Promise<void> {
  const width = doc.page.width - MARGIN * 2;
  if (!invoice.typeableLine && !invoice.pixPayload) return;
  if (doc.y > doc.page.height - MARGIN - 170) doc.addPage();
  const top = doc.y;
  doc.font("Helvetica-Bold").fontSize(10).text(`Pagamento — ${invoice.description}`, MARGIN, top, { width });
  if (invoice.typeableLine) {
    doc
      .font("Helvetica")
      .fontSize(10)
      .text(`Linha digitável: ${invoice.typeableLine}`, { width: width - 130 });
    const barcode = barcodeOf(invoice.typeableLine, date);
    if (barcode) {
      const image = await bwipjs.toBuffer({
        bcid: "interleaved2of5",
        text: barcode,
        scale: 2,
        height: 13,
        includetext: false,
      });
      doc.image(image, MARGIN, doc.y + 4, { width: 300, height: 50 });
      doc.y += 60;
    }
  }
  if (invoice.pixPayload) {
    const qr = await pixQrPng(invoice.pixPayload);
    doc.image(qr, MARGIN + width - 110, top + 14, { width: 110, height: 110 });
    doc
      .font("Helvetica")
      .fontSize(7)
      .text(`Pix copia e cola: ${invoice.pixPayload}`, MARGIN, Math.max(doc.y, top + 14) + 4, {
        width: width - 130,
      });
  }
  doc.x = MARGIN;
  doc.y = Math.max(doc.y, top + 130);
  doc.moveDown();
}

/** The 44-digit barcode behind a typeable line (the ITF-25 symbol encodes it). */
function barcodeOf(typeableLine: string, today: string): string | null {
  try {
    return parseBoleto(typeableLine, today).barcode;
  } catch {
    return null;
  }
}
