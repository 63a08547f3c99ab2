import { describe, expect, it } from "vitest";
import { cnab240Layout } from "../../src/domain/cnab/cnab240.ts";
import { cnab400Layout } from "../../src/domain/cnab/cnab400.ts";
import type { CnabLayout } from "../../src/domain/cnab/layout.ts";
import { type CnabItem, readCnab } from "../../src/domain/cnab/reader.ts";
import { intentFromRemittance, remittanceTitle, type TitleIntent } from "../../src/domain/cnab/titles.ts";
import { type FileEnvelope, writeCnabFile } from "../../src/domain/cnab/writer.ts";

/**
 * Each bank's deviations, checked position by position against records laid out by hand from an
 * open implementation used with these banks: eduardokum/laravel-boleto, files
 * src/Cnab/Remessa/Cnab240/Banco/*.php, src/Cnab/Retorno/Cnab240/Banco/*.php,
 * src/Cnab/Remessa/Cnab400/Banco/*.php and src/Cnab/Retorno/Cnab400/Banco/*.php (cited per test).
 * Positions are 1-based and inclusive, as the manuals print them.
 */

async function readAll(lines: Iterable<string>): Promise<CnabItem[]> {
  const items: CnabItem[] = [];
  for await (const item of readCnab(lines)) items.push(item);
  return items;
}

/** The text at positions start–end of a line. */
const at = (line: string, start: number, end: number) => line.slice(start - 1, end);

function blank(width: number): string[] {
  return Array.from({ length: width }, () => " ");
}

function put(line: string[], start: number, text: string): void {
  for (let index = 0; index < text.length; index += 1) line[start - 1 + index] = text[index]!;
}

const envelope: FileEnvelope = {
  companyDocument: "12345678000195",
  companyName: "Credora Exemplo Ltda",
  agreement: "123456",
  agency: "1234",
  agencyDigit: "5",
  account: "12345",
  accountDigit: "6",
  bankName: "BANCO",
  fileSequence: 7,
  generatedOn: "2026-12-07",
  wallet: "17",
};

const intent: TitleIntent = {
  instruction: "register",
  ourNumber: "123456788",
  documentNumber: "FAT-0001",
  dueDate: "2026-12-20",
  issuedOn: "2026-12-07",
  amountCents: 25_990,
  interestPerDayCents: 9,
  fineBps: 200,
  discountCents: 500,
  discountUntil: "2026-12-15",
  protestDays: 10,
  payer: {
    document: "12345678909",
    name: "MARIA APARECIDA DOS SANTOS OLIVEIRA",
    address: "RUA DAS FLORES 100",
    district: "CENTRO",
    postalCode: "01001000",
    city: "SAO PAULO",
    state: "SP",
  },
  wallet: "109",
};

function remittance(layout: CnabLayout, intents: TitleIntent[]): string[] {
  return [
    ...writeCnabFile(
      layout,
      "remittance",
      envelope,
      intents.map((one) => remittanceTitle(layout, one)),
    ),
  ];
}

async function readBack(layout: CnabLayout, lines: string[]) {
  const items = await readAll(lines);
  expect(items.filter((item) => item.type === "problem")).toEqual([]);
  return items.flatMap((item) =>
    item.type === "remittance" ? [intentFromRemittance(layout, item.instruction, item.values)] : [],
  );
}

describe("Itaú CNAB 400 remittance (laravel-boleto src/Cnab/Remessa/Cnab400/Banco/Itau.php)", () => {
  const layout = cnab400Layout("341");

  it("writes the fine in Itaú's type-2 record after the title, and it re-parses", async () => {
    const lines = remittance(layout, [intent, { ...intent, ourNumber: "123457", fineBps: 0 }]);
    // header, detail + fine, detail alone, trailer
    expect(lines.map((line) => line[0])).toEqual(["0", "1", "2", "1", "9"]);
    const fine = lines[2]!;
    expect(at(fine, 1, 1)).toBe("2"); // registro tipo 2: multa
    expect(at(fine, 2, 2)).toBe("2"); // código 2: percentual
    expect(at(fine, 3, 10)).toBe("20122026"); // data da multa, DDMMAAAA: the due date
    expect(at(fine, 11, 23)).toBe("0000000000200"); // 2,00% with two decimals
    expect(at(fine, 24, 394).trim()).toBe("");
    expect(at(fine, 395, 400)).toBe("000003"); // the file's line sequence goes on through it
    expect(at(lines[4]!, 395, 400)).toBe("000005");
    const read = await readBack(layout, lines);
    expect(read.map((title) => [title.ourNumber, title.fineBps])).toEqual([
      ["12345678?", 200],
      ["12345?", 0],
    ]);
  });

  it("puts agency, account, nosso número without DAC, protest 09 and its days where Itaú reads them", () => {
    const [header, detail] = remittance(layout, [intent]);
    expect(at(header!, 1, 9)).toBe("01REMESSA");
    expect(at(header!, 27, 38)).toBe("123400123456"); // agency, 00, account, digit
    expect(at(detail!, 18, 29)).toBe("123400123456");
    expect(at(detail!, 2, 17)).toBe("0212345678000195"); // CNPJ of the beneficiary
    expect(at(detail!, 63, 70)).toBe("12345678"); // nosso número without its DAC
    expect(at(detail!, 84, 86)).toBe("109");
    expect(at(detail!, 108, 110)).toBe("I01");
    expect(at(detail!, 140, 142)).toBe("341");
    expect(at(detail!, 157, 160)).toBe("0900"); // instrução 09: protestar após XX dias; instrução 2: none
    expect(at(detail!, 174, 192)).toBe("1512260000000000500"); // desconto até 15/12/26: R$ 5,00
    expect(at(detail!, 392, 393)).toBe("10"); // the protest's days
  });
});

describe("Bradesco CNAB 400 remittance (laravel-boleto src/Cnab/Remessa/Cnab400/Banco/Bradesco.php)", () => {
  const layout = cnab400Layout("237");

  it("leaves the direct-debit fields empty, takes a 40-letter payer name and no city, and numbers the file at 111–117", async () => {
    const lines = remittance(layout, [{ ...intent, ourNumber: "00000000002P", wallet: "09" }]);
    const [header, detail] = lines;
    expect(at(header!, 27, 46)).toBe("00000000000000123456"); // código da empresa
    expect(at(header!, 109, 117)).toBe("MX0000007");
    expect(at(header!, 389, 394).trim()).toBe("");
    expect(at(detail!, 2, 20).trim()).toBe(""); // débito automático: not used
    expect(at(detail!, 22, 37)).toBe("0090123400123456"); // carteira, agência, conta, dígito
    expect(at(detail!, 66, 70)).toBe("20200"); // multa: código 2, 2,00%
    expect(at(detail!, 71, 82)).toBe("00000000002P");
    expect(at(detail!, 93, 93)).toBe("2"); // the beneficiary prints the boleto
    expect(at(detail!, 157, 160)).toBe("0610"); // instrução 06: protestar, 10 days
    expect(at(detail!, 235, 274)).toBe("MARIA APARECIDA DOS SANTOS OLIVEIRA     ");
    expect(at(detail!, 335, 394).trim()).toBe(""); // sacador/avalista, not the payer's city
    const [read] = await readBack(layout, lines);
    expect(read).toMatchObject({ ourNumber: "2P", fineBps: 200, protestDays: 10 });
  });
});

describe("Santander CNAB 400 remittance (laravel-boleto src/Cnab/Remessa/Cnab400/Banco/Santander.php)", () => {
  const layout = cnab400Layout("033");

  it("writes the código de transmissão, fine code 4 with its percent at 78–82 and protest days at 392–393", async () => {
    const lines = remittance(layout, [{ ...intent, ourNumber: "12345674", wallet: "101" }]);
    const [header, detail] = lines;
    expect(at(header!, 27, 46)).toBe("12340012345600012345"); // agency, beneficiary, account
    expect(at(detail!, 18, 37)).toBe("12340012345600012345");
    expect(at(detail!, 63, 70)).toBe("12345674");
    expect(at(detail!, 78, 82)).toBe("40200"); // código 4: percentual; 2,00%
    expect(at(detail!, 157, 160)).toBe("0600"); // instrução 06: protestar
    expect(at(detail!, 235, 274)).toBe("MARIA APARECIDA DOS SANTOS OLIVEIRA     ");
    expect(at(detail!, 335, 351)).toBe("SAO PAULO      SP");
    expect(at(detail!, 392, 393)).toBe("10");
    const [read] = await readBack(layout, lines);
    expect(read).toMatchObject({ ourNumber: "12345674", fineBps: 200, protestDays: 10 });
  });
});

describe("CNAB 240 segment P per bank (laravel-boleto src/Cnab/Remessa/Cnab240/Banco/*.php)", () => {
  it("Caixa: beneficiary code 24–29, nosso número 41–57, escritural, seu número of 11 (Caixa.php)", () => {
    const lines = remittance(cnab240Layout("104"), [{ ...intent, ourNumber: "14000000000000042" }]);
    const [header, batch, p] = lines;
    expect(at(header!, 59, 64)).toBe("123456");
    expect(at(header!, 164, 166)).toBe("101");
    expect(at(batch!, 14, 16)).toBe("060");
    expect(at(batch!, 34, 39)).toBe("123456");
    expect(at(batch!, 60, 65)).toBe("123456");
    expect(at(p!, 18, 29)).toBe("012345123456"); // agency (5), digit, beneficiary (6)
    expect(at(p!, 41, 57)).toBe("14000000000000042");
    expect(at(p!, 58, 62)).toBe("11220"); // simples, registrada, escritural, cliente emite, beneficiário posta
    expect(at(p!, 63, 77)).toBe("FAT-0001       ");
  });

  it("Santander: agency 18–21, account 23–31 and again 33–41, nosso número 45–57 (Santander.php)", () => {
    const lines = remittance(cnab240Layout("033"), [{ ...intent, ourNumber: "0000000123457" }]);
    const [header, batch, p] = lines;
    expect(at(header!, 17, 32)).toBe("2012345678000195");
    expect(at(header!, 33, 47)).toBe("123400000123456"); // código de transmissão
    expect(at(header!, 164, 166)).toBe("040");
    expect(at(batch!, 14, 16)).toBe("030");
    expect(at(batch!, 54, 68)).toBe("123400000123456");
    expect(at(p!, 18, 42)).toBe("1234500001234560000123456");
    expect(at(p!, 45, 57)).toBe("0000000123457");
  });

  it("Itaú: account digit at 37, wallet 38–40, nosso número 41–49, zeros in 58–62 (Itau.php)", () => {
    const [header, batch, p] = remittance(cnab240Layout("341"), [intent]);
    expect(at(header!, 53, 72)).toBe("01234 000000012345 6");
    expect(at(batch!, 54, 73)).toBe("01234 000000012345 6");
    expect(at(p!, 18, 49)).toBe("01234 000000012345 6109123456788");
    expect(at(p!, 58, 62)).toBe("00000");
    expect(at(p!, 63, 77)).toBe("FAT-0001       ");
  });

  it("Banco do Brasil: convênio (9) + 0014 + carteira in the header; nosso número left-aligned 38–57 (Bb.php)", () => {
    const [header, batch, p] = remittance(cnab240Layout("001"), [
      { ...intent, ourNumber: "12345670000000042", wallet: "17" },
    ]);
    expect(at(header!, 33, 47)).toBe("000123456001417");
    expect(at(batch!, 34, 48)).toBe("000123456001417");
    expect(at(p!, 38, 58)).toBe("12345670000000042   1");
  });
});

describe("CNAB 240 returns at each bank's positions (laravel-boleto src/Cnab/Retorno/Cnab240/Banco/*.php)", () => {
  /** A return file around hand-made T and U lines, with the bank's own layout versions in the headers. */
  function file(bank: string, fileVersion: string, batchVersion: string, t: string[], u: string[]): string[] {
    const header = blank(240);
    put(header, 1, `${bank}00000`);
    put(header, 143, "2");
    put(header, 144, "07122026");
    put(header, 158, "000007");
    put(header, 164, fileVersion);
    const batch = blank(240);
    put(batch, 1, `${bank}00011T01  ${batchVersion}`);
    const batchTrailer = blank(240);
    put(batchTrailer, 1, `${bank}00015`);
    put(batchTrailer, 18, "000004");
    const trailer = blank(240);
    put(trailer, 1, `${bank}99999`);
    put(trailer, 18, "000001000006");
    return [header, batch, t, u, batchTrailer, trailer].map((line) => line.join(""));
  }

  /** Segment U repeats its T's movement code, as the banks write it. */
  function segmentU(bank: string, code = "06"): string[] {
    const u = blank(240);
    put(u, 1, `${bank}00013`);
    put(u, 9, `00002U ${code}`);
    put(u, 18, "000000000000320"); // juros/multa
    put(u, 78, "000000000016210"); // valor pago
    put(u, 93, "000000000015960"); // valor líquido
    put(u, 138, "2212202623122026"); // ocorrência, crédito
    return u;
  }

  it("Santander: T shifted — nosso número 41–53, due 70–77, value 78–92, payer 128–183, fee 194–208 (Santander.php)", async () => {
    const t = blank(240);
    put(t, 1, "03300013");
    put(t, 9, "00001T 06");
    put(t, 18, "1234500012345"); // agency, digit, account (9)
    put(t, 41, "0000000123457"); // nosso número (13)
    put(t, 54, "5"); // carteira
    put(t, 55, "FAT-0001       "); // seu número 55–69
    put(t, 70, "20122026"); // vencimento 70–77
    put(t, 78, "000000000015990"); // valor 78–92
    put(t, 128, "1000012345678909"); // tipo 128, CPF 129–143
    put(t, 144, "MARIA APARECIDA"); // nome 144–183
    put(t, 194, "000000000000250"); // tarifa 194–208
    put(t, 209, "0000000000"); // motivos 209–218
    // the bank's own versions (040 / 030) must not stop the file from being read
    const items = await readAll(file("033", "040", "030", t, segmentU("033")));
    expect(items.filter((item) => item.type === "problem")).toEqual([]);
    expect(items.find((item) => item.type === "return")).toMatchObject({
      ourNumber: "123457",
      event: "paid",
      documentNumber: "FAT-0001",
      dueDate: "2026-12-20",
      amountCents: 15_990,
      paidCents: 16_210,
      interestCents: 320,
      feeCents: 250,
      payerDocument: "12345678909",
    });
  });

  it("Itaú: code 17 is a rejected change of data, not a payment; 08 is paid at the notary (Itau.php)", async () => {
    const title = (code: string) => {
      const t = blank(240);
      put(t, 1, "34100013");
      put(t, 9, `00001T ${code}`);
      put(t, 38, "109123456788"); // carteira 38–40, nosso número + DAC 41–49
      put(t, 74, "20122026");
      put(t, 82, "000000000015990");
      return t;
    };
    const codes: Record<string, string> = {};
    for (const code of ["17", "08", "10", "32"]) {
      const items = await readAll(file("341", "040", "030", title(code), segmentU("341", code)));
      expect(items.filter((item) => item.type === "problem")).toEqual([]);
      const record = items.find((item) => item.type === "return");
      codes[code] = record?.type === "return" ? `${record.event} ${record.ourNumber}` : "none";
    }
    expect(codes).toEqual({
      "17": "other 123456788",
      "08": "paid 123456788",
      "10": "written_off 123456788",
      "32": "protested 123456788",
    });
  });

  it("Caixa: nosso número (17) in 40–56 of T, under Caixa's layout versions 101 / 060 (Caixa.php)", async () => {
    const t = blank(240);
    put(t, 1, "10400013");
    put(t, 9, "00001T 02");
    put(t, 24, "123456");
    put(t, 39, "014000000000000042"); // 39–56
    put(t, 59, "FAT-0001   "); // seu número 59–69
    put(t, 74, "20122026");
    put(t, 82, "000000000015990");
    const items = await readAll(file("104", "101", "060", t, segmentU("104", "02")));
    expect(items.filter((item) => item.type === "problem")).toEqual([]);
    expect(items.find((item) => item.type === "return")).toMatchObject({
      ourNumber: "14000000000000042",
      event: "registered",
      documentNumber: "FAT-0001",
    });
  });
});

describe("CNAB 400 returns (laravel-boleto src/Cnab/Retorno/Cnab400/Banco/*.php)", () => {
  it("Bradesco 23 (entrada em cartório) is protested; Santander 17 (liquidado em cartório) is paid", () => {
    expect(cnab400Layout("237").returnEvents["23"]).toBe("protested");
    expect(cnab400Layout("033").returnEvents["17"]).toBe("paid");
    expect(cnab400Layout("341").returnEvents["17"]).toBeUndefined();
  });
});
