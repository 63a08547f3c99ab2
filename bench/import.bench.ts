import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DatabaseHandle, openDatabase } from "../src/db/connect.ts";
import { migrate } from "../src/db/migrate.ts";
import { importCsvFile } from "../src/modules/imports/import.service.ts";
import { createTenant } from "../src/modules/onboarding/onboarding.service.ts";
import type { BenchFigure, Benchmark } from "./figure.ts";
import { writeCustomersCsv, writeInvoicesCsv } from "./import-files.ts";

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

function writeFiles(folder: string): { customers: string; invoices: string } {
  const customers = join(folder, "customers.csv");
  const invoices = join(folder, "invoices.csv");
  writeCustomersCsv(customers, CUSTOMERS);
  writeInvoicesCsv(invoices, { count: INVOICES, customers: CUSTOMERS });
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
