import { a4Document, drawCreditorHeader, MARGIN, type PdfDoc } from "../../channels/letter.ts";
import { formatBrazilianDate } from "../../domain/dates.ts";
import { formatBrl } from "../../domain/money.ts";
import { dashboardReports } from "../../i18n/pt-BR/dashboard-reports.ts";
import type { Panel } from "../dashboard/panel.ts";
import type { Creditor } from "../tenants/tenant.ts";

const CHANNEL_LABELS: Record<string, string> = {
  email: "E-mail",
  sms: "SMS",
  whatsapp: "WhatsApp",
  letter: "Carta",
  task: "Tarefa",
  none: "Sem mensagem",
};

function table(doc: PdfDoc, widths: number[], header: string[], rows: string[][], fontSize = 9.5): void {
  const line = (cells: string[], bold: boolean) => {
    if (doc.y > doc.page.height - MARGIN - 30) doc.addPage();
    const y = doc.y;
    let x = MARGIN;
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(fontSize);
    cells.forEach((cell, index) => {
      const width = widths[index]!;
      doc.text(cell, x, y, { width: width - 6, lineBreak: false, align: index === 0 ? "left" : "right" });
      x += width;
    });
    doc.x = MARGIN;
    doc.y = y + 15;
  };
  line(header, true);
  for (const row of rows) line(row, false);
  doc.moveDown(0.8);
}

function heading(doc: PdfDoc, text: string): void {
  doc.font("Helvetica-Bold").fontSize(12).text(text, MARGIN);
  doc.moveDown(0.4);
}

/**
 * The delinquency panel on paper (A4): the same figures the dashboard shows (getPanel), with the
 * creditor's header; amounts in reais, days as dd/mm/aaaa. Phases carry their day range in words.
 */
export async function panelPdf(panel: Panel, creditor: Creditor, generatedAt: string): Promise<Buffer> {
  const { doc, finished } = a4Document(dashboardReports.panelPdf.title);
  doc.addPage();
  drawCreditorHeader(doc, creditor);
  doc.moveDown(1.2);
  doc
    .font("Helvetica-Bold")
    .fontSize(16)
    .text(`${dashboardReports.panelPdf.title} — ${formatBrazilianDate(panel.asOf)}`);
  doc.font("Helvetica").fontSize(9).text(dashboardReports.panelPdf.generatedAt(generatedAt));
  doc.moveDown(1);

  heading(doc, "Em atraso (principal em aberto)");
  const tally = (label: string, entry: Panel["overdue"]) => [
    label,
    formatBrl(entry.cents),
    String(entry.invoices),
    String(entry.customers),
  ];
  table(
    doc,
    [200, 110, 90, 90],
    ["", "Valor", "Faturas", "Clientes"],
    [
      tally("Total vencido", panel.overdue),
      tally("Pequenos atrasos (até 5 dias)", panel.smallDelays),
      tally("Inadimplência (mais de 5 dias)", panel.delinquent),
    ],
  );

  heading(doc, "Fases de atraso");
  table(
    doc,
    [200, 110, 90],
    ["Fase", "Valor", "Faturas"],
    panel.aging.map((phase) => [
      phase.toDays === null
        ? `mais de ${phase.fromDays - 1} dias`
        : `${phase.fromDays} a ${phase.toDays} dias`,
      formatBrl(phase.cents),
      String(phase.invoices),
    ]),
  );

  heading(
    doc,
    `Recuperação por semana (pagamento até ${panel.recovery.attributionDays} dias após a mensagem)`,
  );
  const channels = Object.keys(CHANNEL_LABELS);
  table(
    doc,
    [78, 70, 37, ...channels.map(() => 49)],
    ["Semana", "Recuperado", "Pagtos", ...channels.map((channel) => CHANNEL_LABELS[channel]!)],
    panel.recovery.weeks.map((week) => [
      `${formatBrazilianDate(week.weekStart).slice(0, 5)} a ${formatBrazilianDate(week.weekEnd).slice(0, 5)}`,
      formatBrl(week.totalCents),
      String(week.payments),
      ...channels.map((channel) => formatBrl(week.byChannel[channel as keyof typeof week.byChannel] ?? 0)),
    ]),
    7.5,
  );

  heading(doc, "Acordos");
  const rate = panel.agreements.brokenRate;
  table(
    doc,
    [200, 110],
    ["", ""],
    [
      ["Propostos", String(panel.agreements.proposed)],
      ["Ativos", `${panel.agreements.active} (${formatBrl(panel.agreements.activeCents)})`],
      ["Concluídos", String(panel.agreements.completed)],
      ["Quebrados", String(panel.agreements.broken)],
      ["Taxa de quebra", rate === null ? "—" : `${(rate * 100).toFixed(1).replace(".", ",")}%`],
    ],
  );
  doc.end();
  return finished;
}
