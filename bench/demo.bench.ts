import { openDatabase } from "../src/db/connect.ts";
import { migrate } from "../src/db/migrate.ts";
import { DEMO_DEFAULT_CUSTOMERS, generateDemoPortfolio } from "../src/modules/demo/demo.generator.ts";
import { loadDemo } from "../src/modules/demo/demo.service.ts";
import { DEMO_HISTORY_DAYS } from "../src/modules/demo/demo-history.ts";
import type { BenchFigure, Benchmark } from "./figure.ts";

const TODAY = "2026-11-23";

/**
 * `npm start` loads the demo into an empty embedded database before serving, so its load time is
 * the wait a first-time user sees: the portfolio, then its weeks of régua (demo-history.ts).
 * Measured on a fresh in-memory PGlite, migrations excluded.
 */
const benchmark: Benchmark = async () => {
  const handle = await openDatabase({});
  let loadSeconds: number;
  let historySeconds: number;
  let rows: number;
  let messages: number;
  try {
    await migrate(handle);
    const started = performance.now();
    let portfolioLoaded = started;
    const result = await loadDemo(handle.db, {
      today: TODAY,
      historyDays: DEMO_HISTORY_DAYS,
      onProgress: (done, total) => {
        if (done === total) portfolioLoaded = performance.now();
      },
    });
    loadSeconds = (performance.now() - started) / 1000;
    historySeconds = (performance.now() - portfolioLoaded) / 1000;
    messages = result.history?.messagesSent ?? 0;
    rows = result.customers.total + result.invoices.total + result.payments.total;
    if (result.errors.length > 0)
      throw new Error(`demo load rejected rows: ${JSON.stringify(result.errors[0])}`);
  } finally {
    await handle.close();
  }

  // The generator alone at the `--customers 200000` scale: it must never be what makes a large demo slow.
  const started = performance.now();
  let invoices = 0;
  for (const chunk of generateDemoPortfolio({ customers: 200_000, today: TODAY }))
    invoices += chunk.invoices.length;
  const generateSeconds = (performance.now() - started) / 1000;

  const figures: BenchFigure[] = [
    {
      name: `demo load, ${DEMO_DEFAULT_CUSTOMERS.toLocaleString("en")} customers and ${DEMO_HISTORY_DAYS} days of régua, fresh PGlite`,
      value: loadSeconds,
      unit: "s",
      floor: 60,
      better: "lower",
      note: `${rows.toLocaleString("en")} rows imported, one run`,
    },
    {
      name: `  of which the ${DEMO_HISTORY_DAYS} days of régua`,
      value: historySeconds,
      unit: "s",
      floor: 45,
      better: "lower",
      note: `${messages.toLocaleString("en")} messages dispatched to the capture transport`,
    },
    {
      name: "demo generation, 200,000 customers (no database)",
      value: generateSeconds,
      unit: "s",
      floor: 30,
      better: "lower",
      note: `${invoices.toLocaleString("en")} invoices, one run`,
    },
  ];
  return figures;
};

export default benchmark;
