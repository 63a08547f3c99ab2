import { writeFileSync } from "node:fs";
import { addDays } from "../src/domain/dates.ts";
import { generateCpf } from "../src/domain/documents.ts";

/** A seeded generator, so that every run imports the same files. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A customers CSV as an ERP exports it (';' separated, Brazilian formats): `c<first>`…, each with
 * a CPF, e-mail, mobile, a WhatsApp opt-in for one in three, a state and tags.
 */
export function writeCustomersCsv(path: string, count: number, first = 0): void {
  const random = seeded(42);
  const states = ["SP", "RJ", "MG", "BA", "PR", "RS", "PE", "CE", "AM", "AC"];
  const lines = ["external_id;name;document;email;mobile;whatsapp;city;state;tags"];
  for (let index = first; index < first + count; index += 1) {
    const phone = `(11) 9${String(10_000_000 + index).slice(-8, -4)}-${String(index).padStart(4, "0").slice(-4)}`;
    lines.push(
      `c${index};Cliente ${index};${generateCpf(random)};cliente${index}@example.com;${phone};${index % 3 === 0 ? "sim" : ""};Cidade;${states[index % states.length]};bench|lote${index % 7}`,
    );
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}

/**
 * An invoices CSV: `count` invoices `<prefix><n>` of customers `c<first>`…`c<first + customers - 1>`
 * in turn, due over 120 days from 2026-01-01, amounts in Brazilian format, dates both ways, fine and
 * interest on one in ten, one in four not a consumer.
 */
export function writeInvoicesCsv(
  path: string,
  options: { count: number; customers: number; firstCustomer?: number; prefix?: string },
): void {
  const random = seeded(43);
  const first = options.firstCustomer ?? 0;
  const prefix = options.prefix ?? "f";
  const lines = [
    "external_id;customer_external_id;description;amount;issue_date;due_date;fine_percent;interest_percent;consumer",
  ];
  for (let index = 0; index < options.count; index += 1) {
    const due = addDays("2026-01-01", index % 120);
    const cents = 1000 + Math.floor(random() * 500_000);
    const amount = `${Math.floor(cents / 100).toLocaleString("pt-BR")},${String(cents % 100).padStart(2, "0")}`;
    const issue = addDays(due, -20);
    const brazilianIssue = `${issue.slice(8)}/${issue.slice(5, 7)}/${issue.slice(0, 4)}`;
    lines.push(
      `${prefix}${index};c${first + (index % options.customers)};Mensalidade ${index};${amount};${brazilianIssue};${due};${index % 10 === 0 ? "2" : ""};${index % 10 === 0 ? "1" : ""};${index % 4 === 0 ? "não" : "sim"}`,
    );
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}
