import { describe, expect, it } from "vitest";
import {
  type BankCode,
  type BoletoAccount,
  bradescoDigit,
  freeFieldFor,
  ourNumberFor,
  SUPPORTED_BANKS,
  santanderDigit,
} from "../../src/domain/bank-boleto.ts";
import { buildBankBoleto, mod10, parseBoleto } from "../../src/domain/boleto.ts";

const accounts: Record<BankCode, BoletoAccount> = {
  "001": {
    bankCode: "001",
    agency: "1234",
    account: "56789",
    accountDigit: "0",
    wallet: "17",
    agreementCode: "1234567",
    station: "",
  },
  "033": {
    bankCode: "033",
    agency: "1234",
    account: "13000123",
    accountDigit: "4",
    wallet: "101",
    agreementCode: "7654321",
    station: "",
  },
  "104": {
    bankCode: "104",
    agency: "1234",
    account: "0",
    accountDigit: "0",
    wallet: "1",
    agreementCode: "123456",
    station: "",
  },
  "237": {
    bankCode: "237",
    agency: "1234",
    account: "0012345",
    accountDigit: "6",
    wallet: "09",
    agreementCode: "",
    station: "",
  },
  "341": {
    bankCode: "341",
    agency: "0057",
    account: "12345",
    accountDigit: "7",
    wallet: "110",
    agreementCode: "",
    station: "",
  },
  "748": {
    bankCode: "748",
    agency: "0101",
    account: "12345",
    accountDigit: "0",
    wallet: "1",
    agreementCode: "12345",
    station: "02",
  },
  "756": {
    bankCode: "756",
    agency: "4321",
    account: "12345",
    accountDigit: "0",
    wallet: "1",
    agreementCode: "1234567",
    station: "",
  },
};

describe("our number check digits (the banks' manuals)", () => {
  it("Bradesco: wallet 19 and number 00000000002 give digit 8 (the manual's example); remainder 1 gives P", () => {
    expect(bradescoDigit("1900000000002")).toBe("8");
    // wallet 09, numbers by hand (weights 2…7 from the right; the wallet's 9 weighs 7):
    // …01: 1×2 + 63 = 65, 65 mod 11 = 10 → 1
    expect(bradescoDigit("0900000000001")).toBe("1");
    // …06: 12 + 63 = 75, 75 mod 11 = 9 → 2
    expect(bradescoDigit("0900000000006")).toBe("2");
    // …07: 14 + 63 = 77, remainder 0 → "0"
    expect(bradescoDigit("0900000000007")).toBe("0");
    // …16: 1×3 + 6×2 + 63 = 78, remainder 1 → "P"
    expect(bradescoDigit("0900000000016")).toBe("P");
  });

  it("Itaú: DAC of agency 0057, account 12345, wallet 110, number 12345678 is 8", () => {
    const ourNumber = ourNumberFor(accounts["341"], 12345678);
    expect(ourNumber).toEqual({ full: "123456788", checkDigit: "8" });
  });

  it("Santander: 12 digits + mod 11 (remainder 0/1 → 0, 10 → 1)", () => {
    // 000000000001: 1×2 = 2 → 11 − 2 = 9
    expect(santanderDigit("000000000001")).toBe(9);
    // 000000000005: 5×2 = 10 → remainder 10 → 1
    expect(santanderDigit("000000000005")).toBe(1);
    // 000000000011: 1×2 + 1×3 = 5 → 6
    expect(ourNumberFor(accounts["033"], 11).full).toBe("0000000000116");
  });

  it("Caixa SIGCB: 14 + 15-digit sequence; Banco do Brasil: agreement + 10 digits, no digit", () => {
    expect(ourNumberFor(accounts["104"], 42).full).toBe("14000000000000042");
    expect(ourNumberFor(accounts["001"], 42)).toEqual({ full: "12345670000000042", checkDigit: "" });
  });

  it("Sicoob: weights 3 1 9 7 over agency, client (10) and number", () => {
    // 4321 0001234567 0000001 · weights 3197… : 4×3+3×1+2×9+1×7 = 40; 0,0,0 → 0; 1×7 = 7 (pos 8);
    // 2×3 + 3×1 + 4×9 + 5×7 = 80 (pos 9–12); 6×3 + 7×1 = 25 (pos 13–14); number 0000001: pos 21 weight 3 → 3
    // total 40 + 7 + 80 + 25 + 3 = 155; 155 mod 11 = 1 → 0
    expect(ourNumberFor(accounts["756"], 1)).toEqual({ full: "00000010", checkDigit: "0" });
  });
});

describe("free field (campo livre) of each supported bank", () => {
  it.each(SUPPORTED_BANKS)("bank %s: 25 digits that make a boleto every reader accepts", (bank) => {
    const account = accounts[bank];
    const ourNumber = ourNumberFor(account, 123, "26");
    const freeField = freeFieldFor(account, ourNumber);
    expect(freeField).toMatch(/^\d{25}$/);
    const boleto = buildBankBoleto({ bankCode: bank, dueDate: "2026-12-20", amountCents: 15_990, freeField });
    const parsed = parseBoleto(boleto.typeableLine, "2026-12-06");
    expect(parsed).toMatchObject({ bankCode: bank, amountCents: 15_990, dueDate: "2026-12-20" });
    expect(parsed.barcode.slice(19)).toBe(freeField);
  });

  it("Itaú: wallet, number + DAC, agency, account + DAC of agency/account, 000", () => {
    const free = freeFieldFor(accounts["341"], ourNumberFor(accounts["341"], 12345678));
    expect(free).toBe(`110123456788005712345${mod10("005712345")}000`);
  });

  it("Bradesco: agency, wallet, number (11), account (7), 0 — the layout boletos used before bank accounts", () => {
    const free = freeFieldFor(accounts["237"], ourNumberFor(accounts["237"], 7));
    expect(free).toBe("1234090000000000700123450");
  });

  it("Banco do Brasil: six zeros, agreement + sequence, wallet", () => {
    expect(freeFieldFor(accounts["001"], ourNumberFor(accounts["001"], 9))).toBe("0000001234567000000000917");
  });
});
