import { describe, expect, it } from "vitest";
import {
  centsToDecimal,
  decimalToCents,
  formatBrl,
  parseBrazilianAmount,
  percentOf,
  ROUNDING,
  roundHalfUp,
  scaleHalfUp,
} from "../../src/domain/money.ts";

describe("money: integer cents, rounding half-up to the cent (vectors worked by hand)", () => {
  it("states its rounding convention", () => {
    expect(ROUNDING).toBe("half-up to the cent");
  });

  it("rounds .5 away from zero", () => {
    expect(roundHalfUp(2.5)).toBe(3);
    expect(roundHalfUp(2.4999)).toBe(2);
    expect(roundHalfUp(-2.5)).toBe(-3);
    expect(roundHalfUp(0)).toBe(0);
  });

  it("takes percentages exactly: 2% of R$ 100,25 = 200.5 cents → 201", () => {
    expect(percentOf(10_025, 200)).toBe(201); // 10025 × 200 / 10000 = 200.5 → 201
    expect(percentOf(10_024, 200)).toBe(200); // 200.48 → 200
    expect(percentOf(-10_025, 200)).toBe(-201);
    expect(percentOf(1, 4_999)).toBe(0); // 0.4999 cent
    expect(percentOf(1, 5_000)).toBe(1); // 0.5 cent → 1
  });

  it("stays exact beyond 2^53 (BigInt path): 9e15 cents × 3 / 7", () => {
    // 9,000,000,000,000,000 × 3 = 27e15 > 2^53; 27e15 / 7 = 3,857,142,857,142,857.14… → …857
    expect(scaleHalfUp(9_000_000_000_000_000, [3], 7)).toBe(3_857_142_857_142_857);
    expect(percentOf(90_071_992_547_409, 10_000)).toBe(90_071_992_547_409);
  });

  it("reads Brazilian amounts in their usual spellings", () => {
    expect(parseBrazilianAmount("1.234,56")).toBe(123_456);
    expect(parseBrazilianAmount("1234,56")).toBe(123_456);
    expect(parseBrazilianAmount("1234.56")).toBe(123_456);
    expect(parseBrazilianAmount("R$ 1.234,56")).toBe(123_456);
    expect(parseBrazilianAmount("R$1.234.567,5")).toBe(123_456_750);
    expect(parseBrazilianAmount("100")).toBe(10_000);
    expect(parseBrazilianAmount("1.234")).toBe(123_400); // dot + 3 digits groups thousands
    expect(parseBrazilianAmount("0,99")).toBe(99);
    expect(parseBrazilianAmount("-5,00", { allowNegative: true })).toBe(-500);
  });

  it("refuses other spellings with a pt-BR reason", () => {
    expect(() => parseBrazilianAmount("-5,00")).toThrow("valores negativos não são aceitos");
    expect(() => parseBrazilianAmount("12,345")).toThrow("no máximo 2 casas decimais");
    expect(() => parseBrazilianAmount("abc")).toThrow("use o formato 1.234,56");
    expect(() => parseBrazilianAmount("1,234.56")).toThrow("inválido");
    expect(() => parseBrazilianAmount("")).toThrow("inválido");
  });

  it("formats reais and machine decimals", () => {
    expect(formatBrl(123_456)).toBe("R$ 1.234,56");
    expect(formatBrl(5)).toBe("R$ 0,05");
    expect(formatBrl(-100_000_000)).toBe("-R$ 1.000.000,00");
    expect(centsToDecimal(123_456)).toBe("1234.56");
    expect(centsToDecimal(7)).toBe("0.07");
    expect(centsToDecimal(-50)).toBe("-0.50");
    expect(decimalToCents("12.34")).toBe(1234);
    expect(decimalToCents("12.3")).toBe(1230);
    expect(decimalToCents("12")).toBe(1200);
    expect(() => decimalToCents("12,34")).toThrow("use ponto e até 2 casas");
  });
});
