import { a4Document, drawCreditorHeader, drawPaymentBlock, MARGIN } from "../../channels/letter.ts";
import { formatBrazilianDate } from "../../domain/dates.ts";
import { maskDocument } from "../../domain/documents.ts";
import { formatBrl } from "../../domain/money.ts";
import type { Customer } from "../customers/customer.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { creditorOf } from "../tenants/tenant.ts";
import type { SecondCopy } from "./second-copy.service.ts";

/** "segunda-via-NF-1001-2026-11-23.pdf": the invoice's external id reduced to safe characters. */
export function secondCopyFileName(copy: SecondCopy): string {
  const id = copy.invoice.externalId.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 60);
  return `segunda-via-${id}-${copy.date}.pdf`;
}

/**
 * The second copy as a one-page A4 PDF: the creditor's header (CDC art. 42-A), the debtor (name,
 * masked CPF/CNPJ, address), the amount of the day broken into principal, fine and interest
 * (CDC art. 52; Código Civil art. 354), then the boleto (typeable line and ITF-25 barcode) and the
 * Pix QR code, drawn by the same pieces as the letters.
 */
export async function secondCopyPdf(tenant: Tenant, customer: Customer, copy: SecondCopy): Promise<Buffer> {
  const { doc, finished } = a4Document(`Segunda via — ${copy.invoice.externalId}`);
  doc.addPage();
  const width = doc.page.width - MARGIN * 2;
  drawCreditorHeader(doc, creditorOf(tenant));
  doc.moveDown(1.5);
  doc.font("Helvetica-Bold").fontSize(16).text("Segunda via de pagamento", { width });
  doc
    .font("Helvetica")
    .fontSize(10)
    .text(
      `Fatura ${copy.invoice.externalId}${copy.invoice.description ? ` — ${copy.invoice.description}` : ""}`,
      {
        width,
      },
    );
  doc.moveDown();

  doc.font("Helvetica-Bold").fontSize(11).text("Pagador");
  doc.font("Helvetica").fontSize(10).text(customer.name, { width });
  doc.text(`CPF/CNPJ ${maskDocument(customer.document)}`, { width });
  const address = customer.address;
  if (address.street) {
    const city = [address.city, address.state].filter(Boolean).join("/");
    doc.text(
      [address.street, address.number, address.district, city, address.postalCode].filter(Boolean).join(", "),
      { width },
    );
  }
  doc.moveDown();

  const { amount } = copy;
  const lines: [string, string][] = [
    ["Vencimento original", formatBrazilianDate(copy.invoice.dueDate)],
    ["Valor original", formatBrl(amount.principalCents)],
  ];
  if (amount.paidCents > 0) lines.push(["Já pago", formatBrl(amount.paidCents)]);
  lines.push(
    ["Multa", formatBrl(amount.fineCents)],
    ["Juros", formatBrl(amount.interestCents)],
    [`Total a pagar em ${formatBrazilianDate(copy.date)}`, formatBrl(amount.totalDueCents)],
  );
  doc.font("Helvetica-Bold").fontSize(11).text("Valor do dia");
  lines.forEach(([label, value], index) => {
    const last = index === lines.length - 1;
    const y = doc.y;
    doc.font(last ? "Helvetica-Bold" : "Helvetica").fontSize(last ? 12 : 10);
    doc.text(label, MARGIN, y, { width: width - 160, lineBreak: false });
    doc.text(value, MARGIN + width - 160, y, { width: 160, align: "right", lineBreak: false });
    doc.x = MARGIN;
    doc.y = y + (last ? 20 : 16);
  });
  doc.moveDown();

  if (copy.typeableLineFormatted) {
    doc.font("Helvetica-Bold").fontSize(11).text("Linha digitável", { width });
    doc.font("Courier-Bold").fontSize(11).text(copy.typeableLineFormatted, { width });
    doc.moveDown(0.5);
  }
  await drawPaymentBlock(
    doc,
    {
      description: copy.invoice.description || copy.invoice.externalId,
      typeableLine: copy.typeableLine,
      pixPayload: copy.pixPayload,
    },
    copy.date,
  );
  doc
    .font("Helvetica")
    .fontSize(8)
    .fillColor("#444444")
    .text(
      `Valores calculados para pagamento em ${formatBrazilianDate(copy.date)}. Depois dessa data, emita uma nova segunda via.`,
      { width },
    );
  doc.end();
  return finished;
}
