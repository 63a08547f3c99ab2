import type { Command } from "commander";
import { BoletoError, formatTypeableLine, parseBoleto } from "../../domain/boleto.ts";
import { isState, stateName } from "../../domain/brazil.ts";
import { BusinessCalendar } from "../../domain/calendar.ts";
import {
  formatBrazilianDate,
  type IsoDate,
  parseBrazilianDate,
  todayIn,
  weekday,
} from "../../domain/dates.ts";
import { validateDocument } from "../../domain/documents.ts";
import { computeLateCharges } from "../../domain/late-charges.ts";
import { formatBrl, parseBrazilianAmount } from "../../domain/money.ts";
import { PixError, parsePixPayload } from "../../domain/pix.ts";
import { configuredClock } from "../../shared/config.ts";
import { printJson } from "../run.ts";

/**
 * `regua boleto|pix|holidays|charges|document`: check Brazilian payment rules from the shell.
 * Invalid input prints `{"valid":false,"error":…}` with --json (or the reason on stderr) and exits 1.
 */

interface JsonOption {
  json?: boolean;
}

/** Thrown for the user's input; turned into the `valid:false` answer. */
class InvalidInput extends Error {}

const WEEKDAYS = ["dom", "seg", "ter", "qua", "qui", "sex", "sáb"];

/** Today in Brazil's official zone; the CLI is the one place that reads the system clock for it. */
function systemToday(): IsoDate {
  return todayIn("America/Sao_Paulo", configuredClock().now());
}

function readDate(text: string, option: string): IsoDate {
  try {
    return parseBrazilianDate(text);
  } catch (error) {
    throw new InvalidInput(`${option}: ${(error as Error).message}`);
  }
}

/** Percent as typed ('2', '2,5', '0.033') → basis points, exact to 1/100 of a percent. */
function readPercent(text: string, option: string): number {
  const match = /^(\d{1,4})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!match)
    throw new InvalidInput(
      `${option} "${text}" inválido: informe um percentual como 2 ou 2,5 (sem o sinal %)`,
    );
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

function readState(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const uf = text.trim().toUpperCase();
  if (!isState(uf))
    throw new InvalidInput(`UF "${text}" desconhecida: use a sigla do estado (ex.: SP, RJ, MG)`);
  return uf;
}

/** Runs one command body, printing the answer or the input error the way the options ask. */
function answer<T>(
  options: JsonOption,
  compute: () => T,
  print: (result: T) => string,
  toJson: (result: T) => unknown = (result) => result,
): void {
  let result: T;
  try {
    result = compute();
  } catch (error) {
    if (!(error instanceof InvalidInput || error instanceof BoletoError || error instanceof PixError))
      throw error;
    if (options.json) printJson({ valid: false, error: error.message });
    else process.stderr.write(`erro: ${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  if (options.json) printJson(toJson(result));
  else process.stdout.write(`${print(result)}\n`);
}

export function register(program: Command): void {
  program
    .command("boleto")
    .description("valida e lê um boleto: linha digitável (47 ou 48 dígitos) ou código de barras (44)")
    .argument("<linha>", "linha digitável ou código de barras, com ou sem pontos e espaços")
    .option("--today <data>", "data de referência para ler o fator de vencimento (padrão: hoje)")
    .option("--json", "saída em JSON")
    .action((line: string, options: JsonOption & { today?: string }) => {
      answer(
        options,
        () => {
          const today = options.today === undefined ? systemToday() : readDate(options.today, "--today");
          const boleto = parseBoleto(line, today);
          return {
            valid: true,
            kind: boleto.kind,
            barcode: boleto.barcode,
            typeableLine: boleto.typeableLine,
            amountCents: boleto.amountCents,
            dueDate: boleto.dueDate,
          };
        },
        (boleto) =>
          [
            boleto.kind === "bank"
              ? `Boleto bancário válido (banco ${boleto.barcode.slice(0, 3)})`
              : "Boleto de arrecadação válido",
            `Linha digitável:  ${formatTypeableLine(boleto.typeableLine)}`,
            `Código de barras: ${boleto.barcode}`,
            `Valor:            ${boleto.amountCents === null ? "não informado no código" : formatBrl(boleto.amountCents)}`,
            `Vencimento:       ${boleto.dueDate === null ? "não informado no código" : formatBrazilianDate(boleto.dueDate)}`,
          ].join("\n"),
      );
    });

  program
    .command("pix")
    .description("valida e lê um Pix copia e cola (BR Code)")
    .argument("<payload>", "o código Pix copia e cola")
    .option("--json", "saída em JSON")
    .action((payload: string, options: JsonOption) => {
      answer(
        options,
        () => {
          const pix = parsePixPayload(payload);
          const target = pix.key !== null ? { key: pix.key } : { url: pix.url };
          return {
            valid: true,
            ...target,
            amount: pix.amount,
            name: pix.name,
            city: pix.city,
            txid: pix.txid,
            crc: pix.crc,
            ...(pix.warnings.length > 0 ? { warnings: pix.warnings } : {}),
          };
        },
        (pix) =>
          [
            `Pix válido (${"key" in pix ? "estático" : "dinâmico"})`,
            "key" in pix ? `Chave:     ${pix.key}` : `URL:       ${pix.url}`,
            `Valor:     ${pix.amount === null ? "definido por quem paga" : `R$ ${pix.amount.replace(".", ",")}`}`,
            `Recebedor: ${pix.name} — ${pix.city}`,
            `txid:      ${pix.txid}`,
            `CRC:       ${pix.crc}`,
            ...(pix.warnings ?? []).map((warning) => `Aviso:     ${warning}`),
          ].join("\n"),
      );
    });

  program
    .command("holidays")
    .description("feriados bancários do ano (dias sem expediente além dos fins de semana)")
    .argument("<ano>", "ano com 4 dígitos")
    .option("--state <UF>", "inclui os feriados estaduais dessa UF")
    .option("--json", "saída em JSON")
    .action((yearText: string, options: JsonOption & { state?: string }) => {
      answer(
        options,
        () => {
          if (!/^\d{4}$/.test(yearText.trim()) || Number(yearText) < 1583) {
            throw new InvalidInput(`ano "${yearText}" inválido: use 4 dígitos a partir de 1583 (ex.: 2026)`);
          }
          const state = readState(options.state);
          const calendar = new BusinessCalendar([], state === undefined ? {} : { state });
          return calendar.holidaysOf(Number(yearText));
        },
        (holidays) =>
          [
            `Feriados bancários de ${yearText}${options.state ? ` (nacionais e de ${stateName(options.state.toUpperCase())})` : " (nacionais)"}:`,
            ...holidays.map(
              (holiday) =>
                `  ${formatBrazilianDate(holiday.date)} ${WEEKDAYS[weekday(holiday.date)]}  ${holiday.name}`,
            ),
          ].join("\n"),
      );
    });

  program
    .command("charges")
    .description("multa e juros de um boleto pago com atraso (CDC art. 52 §1, Lei 7.089/1983)")
    .option("--amount <valor>", "valor original (ex.: 100,00 ou 100.00); obrigatório")
    .option("--due <data>", "vencimento (DD/MM/AAAA ou AAAA-MM-DD); obrigatório")
    .option("--on <data>", "data do pagamento (padrão: hoje)")
    .option("--fine <percentual>", "multa em % (limitada a 2% para consumidor)", "2")
    .option("--interest <percentual>", "juros de mora em % ao mês, pro rata por dia", "1")
    .option("--company", "contrato entre empresas: sem o limite de 2% de multa do CDC")
    .option("--state <UF>", "considera os feriados estaduais dessa UF")
    .option("--json", "saída em JSON")
    .action(
      (
        options: JsonOption & {
          amount?: string;
          due?: string;
          on?: string;
          fine: string;
          interest: string;
          company?: boolean;
          state?: string;
        },
      ) => {
        answer(
          options,
          () => {
            if (options.amount === undefined) {
              throw new InvalidInput(
                "--amount é obrigatório: informe o valor original (ex.: --amount 100,00)",
              );
            }
            if (options.due === undefined) {
              throw new InvalidInput("--due é obrigatório: informe o vencimento (ex.: --due 2026-03-10)");
            }
            let principalCents: number;
            try {
              principalCents = parseBrazilianAmount(options.amount);
            } catch (error) {
              throw new InvalidInput(`--amount: ${(error as Error).message}`);
            }
            const dueDate = readDate(options.due, "--due");
            const asOf = options.on === undefined ? systemToday() : readDate(options.on, "--on");
            const terms = {
              fineBps: readPercent(options.fine, "--fine"),
              interestMonthlyBps: readPercent(options.interest, "--interest"),
              consumer: !options.company,
            };
            const state = readState(options.state);
            const calendar = new BusinessCalendar([], state === undefined ? {} : { state });
            const charges = computeLateCharges({ principalCents, dueDate, terms, calendar }, asOf);
            return { charges, asOf, dueDate };
          },
          ({ charges, asOf, dueDate }) =>
            [
              `Vencimento ${formatBrazilianDate(dueDate)}, pagamento em ${formatBrazilianDate(asOf)}` +
                (charges.payableUntil !== dueDate
                  ? ` (pagável sem encargos até ${formatBrazilianDate(charges.payableUntil)})`
                  : ""),
              `Dias de atraso: ${charges.daysLate}`,
              `Principal:      ${formatBrl(charges.principalCents)}`,
              `Multa:          ${formatBrl(charges.fineCents)}${charges.fineBpsApplied ? ` (${(charges.fineBpsApplied / 100).toString().replace(".", ",")}%)` : ""}`,
              `Juros de mora:  ${formatBrl(charges.interestCents)}`,
              `Total:          ${formatBrl(charges.totalCents)}`,
            ].join("\n"),
          ({ charges }) => ({
            daysLate: charges.daysLate,
            principalCents: charges.principalCents,
            fineCents: charges.fineCents,
            interestCents: charges.interestCents,
            totalCents: charges.totalCents,
          }),
        );
      },
    );

  program
    .command("document")
    .description("valida e formata um CPF ou CNPJ (inclusive CNPJ alfanumérico)")
    .argument("<documento>", "CPF ou CNPJ, com ou sem pontuação")
    .option("--json", "saída em JSON")
    .action((value: string, options: JsonOption) => {
      answer(
        options,
        () => {
          const result = validateDocument(value);
          if (!result.valid) throw new InvalidInput(result.error);
          return { valid: true, kind: result.kind, formatted: result.formatted };
        },
        (document) => `${document.kind === "cpf" ? "CPF" : "CNPJ"} válido: ${document.formatted}`,
      );
    });
}
