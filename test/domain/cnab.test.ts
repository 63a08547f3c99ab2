import { describe, expect, it } from "vitest";
import { cnab240Layout } from "../../src/domain/cnab/cnab240.ts";
import type { CnabLayout, RecordSpec } from "../../src/domain/cnab/layout.ts";
import { supportedLayouts } from "../../src/domain/cnab/layouts.ts";
import { type CnabItem, type ReturnRecord, readCnab } from "../../src/domain/cnab/reader.ts";
import {
  intentFromRemittance,
  remittanceTitle,
  returnTitle,
  type TitleIntent,
} from "../../src/domain/cnab/titles.ts";
import { type FileEnvelope, writeCnabFile } from "../../src/domain/cnab/writer.ts";

async function readAll(lines: Iterable<string>): Promise<CnabItem[]> {
  const items: CnabItem[] = [];
  for await (const item of readCnab(lines)) items.push(item);
  return items;
}

/** Places raw text at the positions the layout's record names (the test's own hand, not the writer's). */
function handLine(width: number, spec: RecordSpec, raw: Record<string, string>): string {
  const line = Array.from({ length: width }, () => " ");
  for (const field of spec.fields) {
    const text = field.value ?? raw[field.name];
    if (text === undefined) continue;
    expect(text.length, `${spec.name}.${field.name}`).toBe(field.end - field.start + 1);
    for (let index = 0; index < text.length; index += 1) line[field.start - 1 + index] = text[index]!;
  }
  return line.join("");
}

function put(line: string[], start: number, text: string): void {
  for (let index = 0; index < text.length; index += 1) line[start - 1 + index] = text[index]!;
}

const envelope: FileEnvelope = {
  companyDocument: "12345678000195",
  companyName: "Credora Exemplo Ltda",
  // six digits: the narrowest beneficiary code of the banks (Caixa's)
  agreement: "123456",
  agency: "1234",
  agencyDigit: "5",
  account: "12345",
  accountDigit: "6",
  bankName: "BANCO",
  fileSequence: 7,
  generatedOn: "2026-12-07",
};

/** Each layout's envelope lines around hand-made detail lines. */
function fileAround(layout: CnabLayout, details: string[]): string[] {
  const all = [...writeCnabFile(layout, "return", envelope, [])];
  const head = all.slice(0, layout.kind === "cnab240" ? 2 : 1);
  const trailerCount = head.length + details.length + (layout.kind === "cnab240" ? 2 : 1);
  const tail: string[] = [];
  if (layout.kind === "cnab240") {
    const batchTrailer = Array.from(all[2]!);
    put(batchTrailer, 18, String(details.length + 2).padStart(6, "0"));
    tail.push(batchTrailer.join(""));
    const trailer = Array.from(all[3]!);
    put(trailer, 24, String(trailerCount).padStart(6, "0"));
    tail.push(trailer.join(""));
  } else {
    const trailer = Array.from(all[1]!);
    put(trailer, 395, String(trailerCount).padStart(6, "0"));
    tail.push(trailer.join(""));
  }
  return [...head, ...details, ...tail];
}

describe("CNAB 240 FEBRABAN segments T and U at the positions of the specification", () => {
  it("reads a payment written by hand at FEBRABAN's positions", async () => {
    const t = Array.from({ length: 240 }, () => " ");
    put(t, 1, "00100013");
    put(t, 9, "00001T 06");
    put(t, 38, "12345670000000042   "); // our number 38–57
    put(t, 74, "20122026"); // due date 74–81
    put(t, 82, "000000000015990"); // face value 82–96
    put(t, 133, "1000012345678909"); // payer CPF: type 1, then 15 digits
    put(t, 199, "000000000000250"); // fee 199–213
    put(t, 214, "0000000000");
    const u = Array.from({ length: 240 }, () => " ");
    put(u, 1, "00100013");
    put(u, 9, "00002U 06");
    put(u, 18, "000000000000320"); // interest and fine 18–32
    put(u, 33, "000000000000000"); // discount 33–47
    put(u, 48, "000000000000100"); // rebate 48–62
    put(u, 63, "000000000000000");
    put(u, 78, "000000000016210"); // paid 78–92
    put(u, 93, "000000000015960"); // net 93–107
    put(u, 138, "2212202623122026"); // occurred 138–145, credited 146–153
    const items = await readAll(fileAround(cnab240Layout("001"), [t.join(""), u.join("")]));
    expect(items.filter((item) => item.type === "problem")).toEqual([]);
    expect(items.find((item) => item.type === "return")).toEqual({
      type: "return",
      line: 3,
      ourNumber: "12345670000000042",
      occurrenceCode: "06",
      event: "paid",
      reasons: "0000000000",
      documentNumber: "",
      dueDate: "2026-12-20",
      amountCents: 15_990,
      paidCents: 16_210,
      interestCents: 320,
      discountCents: 0,
      rebateCents: 100,
      feeCents: 250,
      occurredOn: "2026-12-22",
      creditedOn: "2026-12-23",
      payerDocument: "12345678909",
    } satisfies ReturnRecord);
  });
});

describe.each(supportedLayouts().map((layout) => [`${layout.kind} ${layout.bank}`, layout] as const))(
  "%s return file",
  (_name, layout) => {
    const cents = layout.kind === "cnab240" ? 15 : 13;
    const date = (iso: string) =>
      layout.kind === "cnab240"
        ? iso.slice(8) + iso.slice(5, 7) + iso.slice(0, 4)
        : iso.slice(8) + iso.slice(5, 7) + iso.slice(2, 4);
    const ourNumberField = layout.returnDetail[0]!.fields.find((field) => field.name === "ourNumber")!;
    const width = ourNumberField.end - ourNumberField.start + 1;
    const ourNumber =
      ourNumberField.type === "num" ? "98765".padStart(width, "0") : "98765".padEnd(width, " ");
    const money = (value: number) => String(value).padStart(cents, "0");

    function detailLines(movement: string, values: Record<string, string>): string[] {
      const common = { bank: layout.bank, batch: "0001", sequence: "00001", movement, ourNumber };
      return layout.returnDetail.map((spec, index) =>
        handLine(layout.width, spec, {
          ...common,
          sequence: String(index + 1).padStart(5, "0"),
          lineSequence: "000002",
          ...values,
        }),
      );
    }
    const paidCode = Object.entries(layout.returnEvents).find(([, event]) => event === "paid")![0];
    const rejectedCode = Object.entries(layout.returnEvents).find(([, event]) => event === "rejected")![0];

    it("a paid title: face value, paid, interest, discount, rebate, fee and the two dates", async () => {
      const lines = detailLines(paidCode, {
        faceValue: money(10_000),
        paid: money(10_530),
        interest: money(630),
        discountGranted: money(0),
        rebateGranted: money(100),
        fee: money(199),
        dueDate: date("2026-11-30"),
        occurredOn: date("2026-12-04"),
        creditedOn: date("2026-12-07"),
      });
      const items = await readAll(fileAround(layout, lines));
      expect(items.filter((item) => item.type === "problem")).toEqual([]);
      expect(items[0]).toMatchObject({
        type: "header",
        layout: layout.kind,
        bank: layout.bank,
        direction: "return",
      });
      const records = items.filter((item) => item.type === "return");
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        ourNumber: "98765",
        occurrenceCode: paidCode,
        event: "paid",
        amountCents: 10_000,
        paidCents: 10_530,
        interestCents: 630,
        rebateCents: 100,
        feeCents: 199,
        dueDate: "2026-11-30",
        occurredOn: "2026-12-04",
        creditedOn: "2026-12-07",
      });
    });

    it("a rejection keeps the bank's reason; an unknown code is `other` with the code", async () => {
      const reasonsField = layout.returnDetail
        .flatMap((spec) => spec.fields)
        .find((field) => field.name === "reasons")!;
      const reasons = "0809".padEnd(reasonsField.end - reasonsField.start + 1, " ");
      const lines = [
        ...detailLines(rejectedCode, { reasons, faceValue: money(5_000) }),
        ...detailLines("77", { faceValue: money(5_000) }),
      ];
      const records = (await readAll(fileAround(layout, lines))).filter((item) => item.type === "return");
      expect(records.map((record) => [record.event, record.occurrenceCode, record.reasons])).toEqual([
        ["rejected", rejectedCode, "0809"],
        ["other", "77", ""],
      ]);
    });

    it("reports a truncated file and a malformed line by line number, dropping nothing", async () => {
      const good = detailLines(paidCode, { faceValue: money(1_000), paid: money(1_000) });
      const whole = fileAround(layout, [...good, ...good]);
      // a line cut short, a line with letters in a money field, and no trailer
      const cut = [...whole.slice(0, -1)];
      const firstDetail = layout.kind === "cnab240" ? 2 : 1;
      cut[firstDetail] = cut[firstDetail]!.slice(0, 100);
      const items = await readAll(cut);
      const problems = items.filter((item) => item.type === "problem");
      expect(problems.map((problem) => problem.line)).toContain(firstDetail + 1);
      expect(problems.some((problem) => /trailer/.test(problem.message))).toBe(true);
      expect(items.filter((item) => item.type === "return")).toHaveLength(1);
    });
  },
);

describe("an unknown file", () => {
  it("is refused at its first line, and every other line is reported", async () => {
    const items = await readAll(["isto não é um arquivo CNAB", "nem isto"]);
    expect(items).toEqual([
      expect.objectContaining({ type: "problem", line: 1 }),
      expect.objectContaining({ type: "problem", line: 2 }),
    ]);
  });
});

describe.each(supportedLayouts().map((layout) => [`${layout.kind} ${layout.bank}`, layout] as const))(
  "%s remittance re-parses to exactly what was intended",
  (_name, layout) => {
    it("register with fine, interest, discount, protest and payer; write off; change due date", async () => {
      const base: TitleIntent = {
        instruction: "register",
        ourNumber: "12345",
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
          name: "JOAO DA SILVA",
          address: "RUA DAS FLORES 100",
          district: "CENTRO",
          postalCode: "01001000",
          city: "SAO PAULO",
          state: "SP",
        },
        wallet: "1",
      };
      const intents: TitleIntent[] = [
        base,
        {
          ...base,
          instruction: "write_off",
          ourNumber: "12346",
          protestDays: null,
          discountCents: 0,
          discountUntil: null,
        },
        { ...base, instruction: "change_due_date", ourNumber: "12347", dueDate: "2027-01-10", fineBps: 0 },
      ];
      const lines = [
        ...writeCnabFile(
          layout,
          "remittance",
          envelope,
          intents.map((intent) => remittanceTitle(layout, intent)),
        ),
      ];
      expect(lines.every((line) => line.length === layout.width)).toBe(true);
      const items = await readAll(lines);
      expect(items.filter((item) => item.type === "problem")).toEqual([]);
      const read = items.flatMap((item) =>
        item.type === "remittance" ? [intentFromRemittance(layout, item.instruction, item.values)] : [],
      );
      const strip = layout.remittanceDetail[0]!.fields.find(
        (field) => field.name === "ourNumber",
      )?.withoutCheckDigit;
      const remittanceFields = layout.remittanceDetail.flatMap((spec) => spec.fields);
      const documentField = remittanceFields.find((field) => field.name === "documentNumber")!;
      const carries = (name: string) => remittanceFields.some((field) => field.name === name);
      expect(read).toEqual(
        intents.map(({ wallet: _wallet, ...intent }) => ({
          ...intent,
          ourNumber: strip ? `${intent.ourNumber.slice(0, -1)}?` : intent.ourNumber,
          // seu número is cut to the bank's width (15 FEBRABAN, 11 Caixa, 10 Itaú and CNAB 400)
          documentNumber: intent.documentNumber.slice(0, documentField.end - documentField.start + 1),
          fineBps: carries("fineBps") ? intent.fineBps : 0,
          // Bradesco 400 has no payer city or state (335–394 is the guarantor or a second message)
          payer: {
            ...intent.payer,
            city: carries("payerCity") ? intent.payer.city : "",
            state: carries("payerState") ? intent.payer.state : "",
          },
        })),
      );
    });
  },
);

describe("a return written from titles reads back", () => {
  it("returnTitle + writeCnabFile → readCnab gives the same movement", async () => {
    const layout = cnab240Layout("341");
    const lines = [
      ...writeCnabFile(layout, "return", envelope, [
        returnTitle(layout, {
          event: "paid",
          ourNumber: "123456788",
          documentNumber: "FAT-9",
          dueDate: "2026-12-20",
          amountCents: 9_900,
          paidCents: 9_900,
          occurredOn: "2026-12-19",
          creditedOn: "2026-12-20",
          wallet: "109",
        }),
      ]),
    ];
    const records = (await readAll(lines)).filter((item) => item.type === "return");
    expect(records).toEqual([
      expect.objectContaining({
        ourNumber: "123456788",
        event: "paid",
        paidCents: 9_900,
        creditedOn: "2026-12-20",
      }),
    ]);
  });
});
