import { describe, expect, it } from "vitest";
import {
  BoletoError,
  buildBankBoleto,
  buildCollectionBoleto,
  dateFromDueFactor,
  dueFactor,
  formatTypeableLine,
  parseBoleto,
} from "../../src/domain/boleto.ts";
import { addDays } from "../../src/domain/dates.ts";

describe("boleto due factor (FEBRABAN; restarted at 1000 on 2025-02-22)", () => {
  it("matches the FEBRABAN correlation table (1000 = 03/07/2000 … 9999 = 21/02/2025)", () => {
    expect(dueFactor("2000-07-03")).toBe("1000");
    expect(dueFactor("2000-07-05")).toBe("1002");
    expect(dueFactor("2002-05-01")).toBe("1667");
    expect(dueFactor("2010-11-17")).toBe("4789");
    expect(dueFactor("2025-02-21")).toBe("9999");
    expect(dueFactor("2025-02-22")).toBe("1000");
    expect(dueFactor("2026-12-15")).toBe("1661"); // 661 days after 2025-02-22
  });

  it("reads a factor back as the date inside the window around today", () => {
    expect(dateFromDueFactor("1000", "2000-07-01")).toBe("2000-07-03");
    expect(dateFromDueFactor("4789", "2010-11-01")).toBe("2010-11-17");
    expect(dateFromDueFactor("9999", "2025-02-20")).toBe("2025-02-21");
    expect(dateFromDueFactor("1000", "2025-02-20")).toBe("2025-02-22"); // not 2000-07-03
    expect(dateFromDueFactor("1661", "2026-11-23")).toBe("2026-12-15");
    expect(dateFromDueFactor("9999", "2026-11-23")).toBe("2025-02-21"); // an overdue boleto stays in the past
    expect(dateFromDueFactor("0000", "2026-11-23")).toBeNull();
  });
});

describe("bank boletos (47-digit line, 44-digit barcode)", () => {
  // Published example from Asaas' API reference (GET /v3/lean/payments/{id}/identificationField):
  // Banco do Brasil (001), R$ 50,00, factor 8789 = 2021-10-30.
  const asaasLine = "00190000090275928800021932978170187890000005000";
  const asaasBarcode = "00191878900000050000000002759288002193297817";

  it("parses the Asaas published line and its barcode to the same boleto", () => {
    const expected = {
      kind: "bank",
      barcode: asaasBarcode,
      typeableLine: asaasLine,
      amountCents: 5_000,
      dueDate: "2021-10-30",
      bankCode: "001",
    };
    expect(parseBoleto(asaasLine, "2021-10-01")).toEqual(expected);
    expect(parseBoleto(asaasBarcode, "2021-10-01")).toEqual(expected);
    expect(formatTypeableLine(asaasLine)).toBe("00190.00009 02759.288000 21932.978170 1 87890000005000");
    expect(parseBoleto("00190.00009 02759.288000 21932.978170 1 87890000005000", "2026-11-23")).toEqual(
      expected,
    );
  });

  it("builds barcode and line from bank, due date, amount and free field (worked by hand)", () => {
    // Barcode without DV: 0019 1661 0000012345 0000001234567000000000117; mod 11 weights 2–9 from the right:
    // sum 436, 436 mod 11 = 7, DV = 11 − 7 = 4.
    // Field 1 "001900000": 0·2+0·1+1·2+9·1+0… = 11 → DV 9. Field 2 "0123456700": sum 26 → 4. Field 3 "0000000117": sum 8 → 2.
    const built = buildBankBoleto({
      bankCode: "001",
      dueDate: "2026-12-15",
      amountCents: 12_345,
      freeField: "0000001234567000000000117",
    });
    expect(built).toEqual({
      barcode: "00194166100000123450000001234567000000000117",
      typeableLine: "00190000090123456700400000001172416610000012345",
    });
    expect(formatTypeableLine(built.typeableLine)).toBe(
      "00190.00009 01234.567004 00000.001172 4 16610000012345",
    );
    expect(parseBoleto(built.typeableLine, "2026-11-23")).toMatchObject({
      amountCents: 12_345,
      dueDate: "2026-12-15",
    });
  });

  it("builds a boleto without due date or amount (factor 0000, amount zero → null)", () => {
    const built = buildBankBoleto({
      bankCode: "237",
      dueDate: null,
      amountCents: 0,
      freeField: "1234567890123456789012345",
    });
    expect(parseBoleto(built.barcode, "2026-11-23")).toMatchObject({
      dueDate: null,
      amountCents: null,
      bankCode: "237",
    });
  });

  it("says which check digit is wrong", () => {
    const wrongField2 = `${asaasLine.slice(0, 20)}9${asaasLine.slice(21)}`;
    expect(() => parseBoleto(wrongField2, "2026-11-23")).toThrow(
      "dígito verificador do campo 2 da linha digitável não confere: esperado 0, recebido 9",
    );
    const wrongGeneral = `${asaasLine.slice(0, 32)}2${asaasLine.slice(33)}`;
    expect(() => parseBoleto(wrongGeneral, "2026-11-23")).toThrow(
      "dígito verificador geral da linha digitável não confere: esperado 1, recebido 2",
    );
    const wrongBarcode = `${asaasBarcode.slice(0, 4)}5${asaasBarcode.slice(5)}`;
    expect(() => parseBoleto(wrongBarcode, "2026-11-23")).toThrow(
      "dígito verificador geral do código de barras não confere",
    );
  });

  it("refuses wrong lengths, letters and other currencies in pt-BR", () => {
    expect(() => parseBoleto(asaasLine.slice(0, 46), "2026-11-23")).toThrow(BoletoError);
    expect(() => parseBoleto(asaasLine.slice(0, 46), "2026-11-23")).toThrow(
      "boleto com 46 dígitos: a linha digitável tem 47 (bancário) ou 48 (arrecadação) dígitos e o código de barras 44",
    );
    expect(() => parseBoleto(`${asaasLine.slice(0, 46)}X`, "2026-11-23")).toThrow(
      'caractere "X" não é dígito',
    );
    expect(() => parseBoleto("", "2026-11-23")).toThrow("boleto vazio");
    expect(() => parseBoleto(`0018${asaasBarcode.slice(4)}`, "2026-11-23")).toThrow(
      "código de moeda 8 não suportado",
    );
    expect(() =>
      buildBankBoleto({ bankCode: "1", dueDate: null, amountCents: 1, freeField: "1".repeat(25) }),
    ).toThrow('código do banco "1" inválido');
  });
});

describe("collection slips (arrecadação, 48-digit line; position 3 picks mod 10 or mod 11)", () => {
  // Hand-built: product 8 (arrecadação), segment 2 (sanitation), value id 6 (mod 10, amount in reais),
  // amount 00000012345 (R$ 123,45), company 0001, free field 0123456789012345678901234.
  // General DV by mod 10 over the other 43 digits: sum of digit products 144 → (10 − 4) = 6.
  // Block 1 "82660000001": products 16→7, 2, 12→3, 6, 0…, 1·2 = 2 → sum 20 → DV 0.
  const mod10Line = "826600000010234500010124345678901231456789012345";
  const mod10Barcode = "82660000001234500010123456789012345678901234";
  // Same with value id 8 (mod 11): weighted sum 692, 692 mod 11 = 10 → DV 11 − 10 = 1.
  const mod11Line = "828100000011234500010126345678901235456789012341";

  it("builds and parses a mod-10 slip", () => {
    expect(buildCollectionBoleto("826000000123450001" + "0123456789012345678901234")).toEqual({
      barcode: mod10Barcode,
      typeableLine: mod10Line,
    });
    expect(parseBoleto(formatTypeableLine(mod10Line), "2026-11-23")).toEqual({
      kind: "collection",
      barcode: mod10Barcode,
      typeableLine: mod10Line,
      amountCents: 12_345,
      dueDate: null,
      bankCode: null,
    });
    expect(formatTypeableLine(mod10Line)).toBe("82660000001-0 23450001012-4 34567890123-1 45678901234-5");
    expect(parseBoleto(mod10Barcode, "2026-11-23").typeableLine).toBe(mod10Line);
  });

  it("parses a mod-11 slip", () => {
    expect(parseBoleto(mod11Line, "2026-11-23")).toMatchObject({ kind: "collection", amountCents: 12_345 });
  });

  it("reports no amount for a reference value (value id 7)", () => {
    const reference = buildCollectionBoleto("827000000123450001" + "0123456789012345678901234");
    expect(parseBoleto(reference.typeableLine, "2026-11-23").amountCents).toBeNull();
  });

  it("says which block or digit is wrong", () => {
    const wrongBlock3 = `${mod10Line.slice(0, 35)}7${mod10Line.slice(36)}`;
    expect(() => parseBoleto(wrongBlock3, "2026-11-23")).toThrow(
      "dígito verificador do bloco 3 da linha de arrecadação não confere: esperado 1, recebido 7",
    );
    expect(() => parseBoleto(`825${mod10Line.slice(3)}`, "2026-11-23")).toThrow(
      'identificador de valor "5" inválido na 3ª posição',
    );
    expect(() => parseBoleto(`1${mod10Line.slice(1)}`, "2026-11-23")).toThrow("deve começar com 8");
    const wrongGeneral = `8266${"0".repeat(0)}${mod10Barcode.slice(4, 10)}9${mod10Barcode.slice(11)}`;
    expect(() => parseBoleto(wrongGeneral, "2026-11-23")).toThrow(
      "dígito verificador geral do código de barras não confere",
    );
  });
});

describe("round trip (generated boletos: every built line parses back to its inputs)", () => {
  it("holds for 2,000 seeded bank boletos due around today", () => {
    let seed = 12_345;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const digits = (count: number) => Array.from({ length: count }, () => Math.floor(random() * 10)).join("");
    for (let index = 0; index < 2_000; index += 1) {
      const dueDate = addDays("2026-11-23", Math.floor(random() * 6_000) - 2_999);
      const amountCents = 1 + Math.floor(random() * 99_999_999);
      const bankCode = digits(3);
      const built = buildBankBoleto({ bankCode, dueDate, amountCents, freeField: digits(25) });
      const parsed = parseBoleto(formatTypeableLine(built.typeableLine), "2026-11-23");
      expect(parsed).toEqual({ kind: "bank", ...built, amountCents, dueDate, bankCode });
    }
  });
});
