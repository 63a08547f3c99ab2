import { readCnab } from "../src/domain/cnab/reader.ts";
import { fileLines } from "../src/modules/bank-files/line-source.ts";

/**
 * Parses one CNAB file in a process of its own and prints its records and the process's peak RSS:
 * the bank-files bench compares the peak for 10,000 and 100,000 records (streamed: flat).
 */
const file = process.argv[2]!;
let records = 0;
let problems = 0;
// the lines as `regua cnab parse` reads them
for await (const item of readCnab(fileLines(file)())) {
  if (item.type === "return") records += 1;
  if (item.type === "problem") problems += 1;
}
process.stdout.write(JSON.stringify({ records, problems, maxRssKb: process.resourceUsage().maxRSS }));
