import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseScale } from "../../bench/scale.ts";

describe("npm run bench -- --scale", () => {
  it("reads a number of invoices with k or m, five invoices per customer and an import of a tenth", () => {
    expect(parseScale("10m")).toEqual({
      label: "10m",
      invoices: 10_000_000,
      customers: 2_000_000,
      importRows: 1_000_000,
    });
    expect(parseScale("1M")).toMatchObject({ label: "1m", invoices: 1_000_000, customers: 200_000 });
    expect(parseScale("0.1m")).toMatchObject({ invoices: 100_000, customers: 20_000, importRows: 10_000 });
    expect(parseScale("500k")).toMatchObject({ invoices: 500_000, customers: 100_000 });
  });

  it("refuses what is not a size, or too small a portfolio to measure", () => {
    for (const text of ["", "10", "ten", "10x", "-1m", "1k"]) expect(parseScale(text)).toBeUndefined();
  });

  it("stops the runner before any bench when the scale does not parse", () => {
    const run = spawnSync(process.execPath, ["bench/run.ts", "--scale", "10x"], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--scale 10x: use a number of invoices such as 1m, 10m or 0.1m");
    expect(run.stdout).not.toContain("▶");
  });
});
