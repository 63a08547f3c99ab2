import { type BankCode, isSupportedBank } from "../bank-boleto.ts";
import { cnab240Layout } from "./cnab240.ts";
import { cnab400Layout, isCnab400Bank } from "./cnab400.ts";
import type { CnabLayout, LayoutKind } from "./layout.ts";

/** Every supported bank and layout, looked up by both. */
export function layoutFor(kind: LayoutKind, bank: string): CnabLayout | null {
  if (kind === "cnab240") return isSupportedBank(bank) ? cnab240Layout(bank) : null;
  return isCnab400Bank(bank) ? cnab400Layout(bank) : null;
}

export function supportedLayouts(): CnabLayout[] {
  const banks: BankCode[] = ["001", "033", "104", "237", "341", "748", "756"];
  return [
    ...banks.map((bank) => cnab240Layout(bank)),
    ...(["341", "237", "033"] as const).map((bank) => cnab400Layout(bank)),
  ];
}
