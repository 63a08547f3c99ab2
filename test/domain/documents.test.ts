import { describe, expect, it } from "vitest";
import {
  formatDocument,
  generateCnpj,
  generateCpf,
  isValidCnpj,
  isValidCpf,
  maskDocument,
  validateDocument,
} from "../../src/domain/documents.ts";

/** A deterministic source in [0, 1) (Park–Miller) so generated documents are repeatable. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return state / 2_147_483_647;
  };
}

describe("CPF (Receita Federal's two mod-11 check digits)", () => {
  it("accepts 529.982.247-25, worked by hand", () => {
    // DV1: 5·10+2·9+9·8+9·7+8·6+2·5+2·4+4·3+7·2 = 295; 295 mod 11 = 9 → 11−9 = 2
    // DV2: 5·11+2·10+9·9+9·8+8·7+2·6+2·5+4·4+7·3+2·2 = 347; 347 mod 11 = 6 → 11−6 = 5
    expect(validateDocument("529.982.247-25")).toEqual({
      valid: true,
      kind: "cpf",
      normalized: "52998224725",
      formatted: "529.982.247-25",
    });
    expect(isValidCpf("52998224725")).toBe(true);
  });

  it("says what is wrong with a bad CPF", () => {
    expect(validateDocument("529.982.247-26")).toEqual({
      valid: false,
      error: "CPF com dígitos verificadores errados: esperado 25, informado 26",
    });
    expect(validateDocument("111.111.111-11")).toEqual({
      valid: false,
      error: "CPF inválido: todos os dígitos iguais",
    });
    expect(validateDocument("529.982.247-2")).toEqual({
      valid: false,
      error: "documento com 10 caracteres: CPF tem 11 dígitos e CNPJ tem 14 posições",
    });
    expect(validateDocument("529.982.24A-25").valid).toBe(false);
    expect(isValidCpf("5299822472A")).toBe(false);
  });
});

describe("CNPJ, numeric and alphanumeric (IN RFB 2.229/2024: each character valued ASCII − 48)", () => {
  it("accepts the Receita Federal alphanumeric example 12.ABC.345/01DE-35", () => {
    // A=17, B=18, C=19, D=20, E=21.
    // DV1: 1·5+2·4+17·3+18·2+19·9+3·8+4·7+5·6+0·5+1·4+20·3+21·2 = 459; 459 mod 11 = 8 → 3
    // DV2: 1·6+2·5+17·4+18·3+19·2+3·9+4·8+5·7+0·6+1·5+20·4+21·3+3·2 = 424; 424 mod 11 = 6 → 5
    expect(validateDocument("12.ABC.345/01DE-35")).toEqual({
      valid: true,
      kind: "cnpj",
      normalized: "12ABC34501DE35",
      formatted: "12.ABC.345/01DE-35",
    });
    expect(isValidCnpj("12abc34501de35")).toBe(true); // letters accepted in lower case too
  });

  it("accepts the numeric 11.222.333/0001-81, worked by hand", () => {
    // DV1: 1·5+1·4+2·3+2·2+2·9+3·8+3·7+3·6+0+0+0+1·2 = 102; 102 mod 11 = 3 → 8
    // DV2: 1·6+1·5+2·4+2·3+2·2+3·9+3·8+3·7+0+0+0+1·3+8·2 = 120; 120 mod 11 = 10 → 1
    expect(validateDocument("11222333000181")).toMatchObject({
      valid: true,
      kind: "cnpj",
      formatted: "11.222.333/0001-81",
    });
  });

  it("says what is wrong with a bad CNPJ", () => {
    expect(validateDocument("12.ABC.345/01DE-36")).toEqual({
      valid: false,
      error: "CNPJ com dígitos verificadores errados: esperado 35, informado 36",
    });
    expect(validateDocument("12.ABC.345/01DE-3E")).toEqual({
      valid: false,
      error: "CNPJ: os 2 dígitos verificadores (últimas posições) devem ser números",
    });
    expect(validateDocument("00.000.000/0000-00")).toEqual({
      valid: false,
      error: "CNPJ inválido: todos os dígitos iguais",
    });
    expect(validateDocument("11.222.333/0001-8$")).toMatchObject({ valid: false });
    expect(validateDocument("")).toEqual({ valid: false, error: "documento vazio: informe um CPF ou CNPJ" });
  });
});

describe("formatting, masking and generation", () => {
  it("formats and masks for messages and logs (LGPD)", () => {
    expect(formatDocument("52998224725")).toBe("529.982.247-25");
    expect(formatDocument("12abc34501de35")).toBe("12.ABC.345/01DE-35");
    expect(maskDocument("529.982.247-25")).toBe("***.982.247-**");
    expect(maskDocument("12.ABC.345/01DE-35")).toBe("**.ABC.345/01DE-**");
  });

  it("generates valid, repeatable documents from a seeded source", () => {
    const random = seeded(42);
    const cpfs = Array.from({ length: 200 }, () => generateCpf(random));
    expect(cpfs.every((cpf) => /^\d{11}$/.test(cpf) && isValidCpf(cpf))).toBe(true);
    expect(new Set(cpfs).size).toBeGreaterThan(190);
    expect(generateCpf(seeded(7))).toBe(generateCpf(seeded(7)));
    const cnpjs = Array.from({ length: 200 }, () => generateCnpj(random, { alphanumeric: true }));
    expect(cnpjs.every((cnpj) => isValidCnpj(cnpj))).toBe(true);
    expect(cnpjs.some((cnpj) => /[A-Z]/.test(cnpj))).toBe(true);
    expect(/^\d{14}$/.test(generateCnpj(random))).toBe(true);
  });
});
