import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { readCnab } from "../src/domain/cnab/reader.ts";

/**
 * Parses one CNAB file in a process of its own and prints its records and the process's peak RSS:
 * the bank-files bench compares the peak for 10,000 and 100,000 records (streamed: flat).
 */
const file = process.argv[2]!;
let records = 0;
let problems = 0;
for await (const item of readCnab(
  createInterface({ input: createReadStream(file, { encoding: "latin1" }), crlfDelay: Infinity }),
)) {
  if (item.type === "return") records += 1;
  if (item.type === "problem") problems += 1;
}
process.stdout.write(JSON.stringify({ records, problems, maxRssKb: process.resourceUsage().maxRSS }));
