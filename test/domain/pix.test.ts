import { describe, expect, it } from "vitest";
import {
  buildPixPayload,
  crc16Ccitt,
  PixError,
  parsePixPayload,
  pixQrPng,
  pixQrSvg,
} from "../../src/domain/pix.ts";

// Examples from the BCB "Manual de Padrões para Iniciação do Pix":
// - static key payload (random key 123e4567-…, "Fulano de Tal", BRASILIA), CRC 1D3D;
// - section 6.2 dynamic payload (pix.example.com/qr/…, EMPRESA, SAO PAULO), CRC EEAB;
// - section 6.1 static payload with amount 66.66 and CRC 170E (its field 62 declares length 08
//   for the 7-character "0503***": the CRC matches the published text, the TLV does not).
const manualStatic =
  "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D";
const manualDynamic =
  "00020101021226770014BR.GOV.BCB.PIX2555pix.example.com/qr/93598be0-1bd0-4997-8318-81776a1d8a9952040000530398658" +
  "02BR5907EMPRESA6009SAO PAULO62070503***6304EEAB";
const manualStaticWithAmount =
  "00020126360014BR.GOV.BCB.PIX0114+5511943214321520400005303986540566.665802BR5907EMPRESA6008BRASILIA62080503***6304170E";

describe("CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF)", () => {
  it("gives the catalogued check value 29B1 for '123456789'", () => {
    expect(crc16Ccitt("123456789")).toBe("29B1");
  });

  it("matches the CRCs printed in the BCB manual", () => {
    expect(crc16Ccitt(manualStatic.slice(0, -4))).toBe("1D3D");
    expect(crc16Ccitt(manualDynamic.slice(0, -4))).toBe("EEAB");
    expect(crc16Ccitt(manualStaticWithAmount.slice(0, -4))).toBe("170E");
  });
});

describe("parsing Pix payloads", () => {
  it("reads the manual's static example", () => {
    expect(parsePixPayload(manualStatic)).toEqual({
      key: "123e4567-e12b-12d1-a456-426655440000",
      url: null,
      amount: null,
      name: "Fulano de Tal",
      city: "BRASILIA",
      txid: "***",
      crc: "1D3D",
      warnings: [],
    });
  });

  it("reads the manual's dynamic example (URL, GUI in upper case)", () => {
    expect(parsePixPayload(manualDynamic)).toEqual({
      key: null,
      url: "pix.example.com/qr/93598be0-1bd0-4997-8318-81776a1d8a99",
      amount: null,
      name: "EMPRESA",
      city: "SAO PAULO",
      txid: "***",
      crc: "EEAB",
      warnings: [],
    });
  });

  // The Manual do BR Code's own examples (BCB, Manual de Padrões para Iniciação do Pix) carry the
  // txid "RP12345678-2019", outside its letters-and-digits rule: read them, with a warning.
  const manualFullStatic =
    "00020104141234567890123426580014BR.GOV.BCB.PIX0136123e4567-e12b-12d1-a456-42665544000027300012BR.COM.OUTRO011001234567895204000053039865406123.455802BR5917NOME DO RECEBEDOR6008BRASILIA61087007490062190515RP12345678-201980390012BR.COM.OUTRO01190123.ABCD.3456.WXYZ6304AD38";
  const manualDynamicWithTxid =
    "00020101021226720014br.gov.bcb.pix2550bx.com.br/pix/8b3da2f3-9a41-40d1-a91a-bd93113bd4415204000053039865406123.455802BR5913Fulano de Tal6008BRASILIA62190515RP12345678-2019630445C8";

  it("reads the manual's examples whose txid has a hyphen, with a warning", () => {
    expect(parsePixPayload(manualFullStatic)).toMatchObject({
      key: "123e4567-e12b-12d1-a456-426655440000",
      amount: "123.45",
      name: "NOME DO RECEBEDOR",
      txid: "RP12345678-2019",
      crc: "AD38",
      warnings: [expect.stringContaining('txid "RP12345678-2019" fora do padrão')],
    });
    expect(parsePixPayload(manualDynamicWithTxid)).toMatchObject({
      url: "bx.com.br/pix/8b3da2f3-9a41-40d1-a91a-bd93113bd441",
      txid: "RP12345678-2019",
      warnings: [expect.stringContaining("Manual do BR Code")],
    });
    // generating such a txid stays refused
    expect(() => buildPixPayload({ key: "k", name: "N", city: "C", txid: "RP12345678-2019" })).toThrow(
      'txid do Pix "RP12345678-2019" inválido',
    );
    // and a txid with spaces or too long is still an error when read
    const spaced =
      "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62090505AB CD6304";
    expect(() => parsePixPayload(spaced + crc16Ccitt(spaced))).toThrow('txid do Pix "AB CD" inválido');
  });

  it("refuses a payload whose CRC does not match, saying both values", () => {
    const tampered = manualStatic.replace("Fulano", "Fulana");
    expect(() => parsePixPayload(tampered)).toThrow(PixError);
    expect(() => parsePixPayload(tampered)).toThrow("CRC do Pix não confere: calculado");
    expect(() => parsePixPayload(tampered)).toThrow("informado 1D3D");
  });

  it("refuses truncated payloads and malformed fields in pt-BR", () => {
    expect(() => parsePixPayload(manualStatic.slice(0, -10))).toThrow('o código deve terminar com "6304"');
    expect(() => parsePixPayload("")).toThrow("Pix vazio");
    expect(() => parsePixPayload(manualStaticWithAmount)).toThrow("Pix malformado");
  });

  it("refuses names and cities beyond the BCB limits (25 and 15)", () => {
    const longName = buildPixPayload({ key: "a@b.com", name: "N", city: "C" }).replace(
      "5901N",
      `5926${"N".repeat(26)}`,
    );
    const resigned = longName.slice(0, -4) + crc16Ccitt(longName.slice(0, -4));
    expect(() => parsePixPayload(resigned)).toThrow(
      "nome do recebedor (campo 59) tem 26 caracteres: o máximo é 25",
    );
    const longCity = buildPixPayload({ key: "a@b.com", name: "N", city: "C" }).replace(
      "6001C",
      `6016${"C".repeat(16)}`,
    );
    expect(() => parsePixPayload(longCity.slice(0, -4) + crc16Ccitt(longCity.slice(0, -4)))).toThrow(
      "cidade do recebedor (campo 60) tem 16 caracteres: o máximo é 15",
    );
  });
});

describe("building Pix payloads", () => {
  it("rebuilds the manual's static example byte for byte", () => {
    expect(
      buildPixPayload({
        key: "123e4567-e12b-12d1-a456-426655440000",
        name: "Fulano de Tal",
        city: "BRASILIA",
      }),
    ).toBe(manualStatic);
  });

  it("rebuilds the manual's dynamic example (we write the GUI in lower case, so only the CRC differs)", () => {
    const built = buildPixPayload({
      url: "https://pix.example.com/qr/93598be0-1bd0-4997-8318-81776a1d8a99",
      name: "EMPRESA",
      city: "SAO PAULO",
    });
    expect(built.toLowerCase().slice(0, -4)).toBe(manualDynamic.toLowerCase().slice(0, -4));
    expect(parsePixPayload(built).url).toBe("pix.example.com/qr/93598be0-1bd0-4997-8318-81776a1d8a99");
  });

  it("round-trips amount, txid and accented names", () => {
    const payload = buildPixPayload({
      key: "+5511943214321",
      amountCents: 6_666,
      name: "João Cobrança Ltda",
      city: "São Paulo",
      txid: "FAT2026000123",
    });
    expect(payload).toContain("540566.66");
    expect(parsePixPayload(payload)).toMatchObject({
      key: "+5511943214321",
      amount: "66.66",
      name: "Joao Cobranca Ltda",
      city: "Sao Paulo",
      txid: "FAT2026000123",
    });
  });

  it("refuses what the BCB manual does not allow", () => {
    expect(() => buildPixPayload({ key: "k", name: "N".repeat(26), city: "C" })).toThrow(
      "de 1 a 25 caracteres (tem 26)",
    );
    expect(() => buildPixPayload({ key: "k", name: "N", city: "C".repeat(16) })).toThrow(
      "de 1 a 15 caracteres (tem 16)",
    );
    expect(() => buildPixPayload({ key: "k", name: "N", city: "C", txid: "FAT-1" })).toThrow(
      'txid do Pix "FAT-1" inválido',
    );
    expect(() => buildPixPayload({ key: "k", name: "N", city: "C", txid: "A".repeat(26) })).toThrow(
      "inválido",
    );
    expect(() => buildPixPayload({ name: "N", city: "C" })).toThrow("exatamente um dos dois");
  });

  it("renders the payload as SVG and PNG QR codes", async () => {
    const svg = await pixQrSvg(manualStatic);
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const png = await pixQrPng(manualStatic);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });
});
