import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DatabaseHandle, openDatabase } from "../src/db/connect.ts";
import { migrate } from "../src/db/migrate.ts";
import { addDays } from "../src/domain/dates.ts";
import { generateCpf } from "../src/domain/documents.ts";
import { importCsvFile } from "../src/modules/imports/import.service.ts";
import { createTenant } from "../src/modules/onboarding/onboarding.service.ts";
import type { BenchFigure, Benchmark } from "./figure.ts";

/**
 * Issue #2's floor: importing 100,000 invoice rows from CSV takes under 60 s on the embedded PGlite
 * and under 30 s on PostgreSQL. The file is generated here (20,000 customers, five invoices each,
 * Brazilian formats, ';' separated); the tenant has bank and Pix settings, so every invoice also
 * gets a generated boleto and Pix payload — the full work of a real import. The customers file is
 * imported first and timed apart (in the note).
 */
const INVOICES = 100_000;
const CUSTOMERS = 20_000;
const TODAY = "2026-03-01";
const SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function writeFiles(folder: string): { customers: string; invoices: string } {
  const random = seeded(42);
  const states = ["SP", "RJ", "MG", "BA", "PR", "RS", "PE", "CE", "AM", "AC"];
  const customerLines = ["external_id;name;document;email;mobile;whatsapp;city;state;tags"];
  for (let index = 0; index < CUSTOMERS; index += 1) {
    const phone = `(11) 9${String(10_000_000 + index).slice(-8, -4)}-${String(index).padStart(4, "0").slice(-4)}`;
    customerLines.push(
      `c${index};Cliente ${index};${generateCpf(random)};cliente${index}@example.com;${phone};${index % 3 === 0 ? "sim" : ""};Cidade;${states[index % states.length]};bench|lote${index % 7}`,
    );
  }
  const invoiceLines = [
    "external_id;customer_external_id;description;amount;issue_date;due_date;fine_percent;interest_percent;consumer",
  ];
  for (let index = 0; index < INVOICES; index += 1) {
    const due = addDays("2026-01-01", index % 120);
    const cents = 1000 + Math.floor(random() * 500_000);
    const amount = `${Math.floor(cents / 100).toLocaleString("pt-BR")},${String(cents % 100).padStart(2, "0")}`;
    const issue = addDays(due, -20);
    const brazilianIssue = `${issue.slice(8)}/${issue.slice(5, 7)}/${issue.slice(0, 4)}`;
    invoiceLines.push(
      `f${index};c${index % CUSTOMERS};Mensalidade ${index};${amount};${brazilianIssue};${due};${index % 10 === 0 ? "2" : ""};${index % 10 === 0 ? "1" : ""};${index % 4 === 0 ? "não" : "sim"}`,
    );
  }
  const customers = join(folder, "customers.csv");
  const invoices = join(folder, "invoices.csv");
  writeFileSync(customers, `${customerLines.join("\n")}\n`);
  writeFileSync(invoices, `${invoiceLines.join("\n")}\n`);
  return { customers, invoices };
}

async function measure(handle: DatabaseHandle, files: { customers: string; invoices: string }) {
  await migrate(handle);
  const tenant = await createTenant(handle.db, {
    slug: "bench",
    legalName: "Bench Cobranças Ltda",
    document: "11222333000181",
    address: "Av. Paulista, 1000, São Paulo/SP",
    boletoBankCode: "237",
    boletoAgency: "1234",
    boletoAccount: "7654321",
    pixKey: "financeiro@bench.com.br",
    pixMerchantCity: "SAO PAULO",
  });
  let started = performance.now();
  const customers = await importCsvFile(handle.db, tenant, "customers", files.customers, { today: TODAY });
  const customerSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const invoices = await importCsvFile(handle.db, tenant, "invoices", files.invoices, { today: TODAY });
  const invoiceSeconds = (performance.now() - started) / 1000;
  if (customers.failed > 0 || invoices.failed > 0 || invoices.inserted !== INVOICES) {
    throw new Error(`import rejected rows: ${JSON.stringify([customers.errors[0], invoices.errors[0]])}`);
  }
  started = performance.now();
  const again = await importCsvFile(handle.db, tenant, "invoices", files.invoices, { today: TODAY });
  const againSeconds = (performance.now() - started) / 1000;
  if (again.unchanged !== INVOICES) throw new Error(`re-import changed rows: ${JSON.stringify(again)}`);
  return { customerSeconds, invoiceSeconds, againSeconds };
}

const benchmark: Benchmark = async () => {
  const folder = mkdtempSync(join(tmpdir(), "regua-import-bench-"));
  const figures: BenchFigure[] = [];
  try {
    const files = writeFiles(folder);

    const embedded = await openDatabase({ dataDir: join(folder, "pglite") });
    try {
      const result = await measure(embedded, files);
      figures.push({
        name: "import 100,000 invoice rows, PGlite",
        value: result.invoiceSeconds,
        unit: "s",
        floor: 60,
        better: "lower",
        note: `one run; ${CUSTOMERS.toLocaleString("en")} customers first in ${result.customerSeconds.toFixed(1)} s; re-import (all unchanged) ${result.againSeconds.toFixed(1)} s`,
      });
    } finally {
      await embedded.close();
    }

    const name = `regua_bench_import_${process.pid}`;
    const admin = await openDatabase({ url: SERVER_URL, maxConnections: 1 });
    const { sql } = await import("kysely");
    try {
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
      await sql.raw(`create database ${name}`).execute(admin.db);
      const url = new URL(SERVER_URL);
      url.pathname = `/${name}`;
      const server = await openDatabase({ url: url.toString() });
      try {
        const result = await measure(server, files);
        figures.push({
          name: "import 100,000 invoice rows, PostgreSQL",
          value: result.invoiceSeconds,
          unit: "s",
          floor: 30,
          better: "lower",
          note: `one run; ${CUSTOMERS.toLocaleString("en")} customers first in ${result.customerSeconds.toFixed(1)} s; re-import (all unchanged) ${result.againSeconds.toFixed(1)} s`,
        });
      } finally {
        await server.close();
      }
    } finally {
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
      await admin.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return figures;
};

export default benchmark;
