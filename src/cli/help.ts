import type { Argument, Command, Option } from "commander";
import { cli } from "../i18n/pt-BR/cli.ts";

/**
 * Makes the program speak pt-BR around the commands' own descriptions: help headings, the help
 * option and command, the "(padrão: …)" notes and the parser's errors. Call it before any
 * subcommand is added: Commander copies these settings into each subcommand when it is created.
 */
export function inPortuguese(program: Command): Command {
  return program
    .helpOption("-h, --help", cli.helpOption)
    .helpCommand("help [comando]", cli.helpCommand)
    .configureHelp({
      styleTitle: (title) => cli.headings[title] ?? title,
      styleUsage: placeholdersInPortuguese,
      styleSubcommandTerm: placeholdersInPortuguese,
      optionDescription: (option) => withNotes(option.description, optionNotes(option)),
      argumentDescription: (argument) => withNotes(argument.description, argumentNotes(argument)),
    })
    .configureOutput({ outputError: (text, write) => write(translateError(text)) });
}

/** Commander's English error line in pt-BR; a line it does not know passes unchanged. */
export function translateError(text: string): string {
  return cli.errors.reduce((line, [pattern, wording]) => line.replace(pattern, wording), text);
}

function placeholdersInPortuguese(usage: string): string {
  return usage.replace("[options]", cli.placeholders.options).replace("[command]", cli.placeholders.command);
}

function optionNotes(option: Option): string[] {
  const notes = choicesNote(option.argChoices);
  // the default of a plain flag (false) tells a user nothing, as in Commander's own help
  const showsDefault = option.required || option.optional;
  if (option.defaultValue !== undefined && showsDefault) {
    notes.push(`${cli.default}: ${option.defaultValueDescription ?? JSON.stringify(option.defaultValue)}`);
  }
  if (option.envVar !== undefined) notes.push(`${cli.env}: ${option.envVar}`);
  return notes;
}

function argumentNotes(argument: Argument): string[] {
  const notes = choicesNote(argument.argChoices);
  if (argument.defaultValue !== undefined) {
    notes.push(
      `${cli.default}: ${argument.defaultValueDescription ?? JSON.stringify(argument.defaultValue)}`,
    );
  }
  return notes;
}

function choicesNote(choices: readonly string[] | undefined): string[] {
  return choices ? [`${cli.choices}: ${choices.map((choice) => JSON.stringify(choice)).join(", ")}`] : [];
}

function withNotes(description: string, notes: string[]): string {
  if (notes.length === 0) return description;
  return description ? `${description} (${notes.join(", ")})` : `(${notes.join(", ")})`;
}
