/**
 * What the `regua` command itself prints around the commands' own pt-BR descriptions: help
 * headings, the help option and command, and the parser's errors (Commander writes them in
 * English; src/cli/help.ts puts these in their place).
 */
export const cli = {
  headings: {
    "Usage:": "Uso:",
    "Options:": "Opções:",
    "Global Options:": "Opções globais:",
    "Commands:": "Comandos:",
    "Arguments:": "Argumentos:",
  } as Record<string, string>,
  placeholders: { options: "[opções]", command: "[comando]" },
  helpOption: "mostra a ajuda do comando",
  helpCommand: "mostra a ajuda de um comando",
  choices: "valores",
  default: "padrão",
  env: "variável",
  /** Commander's error lines, matched by their start, each with the pt-BR wording. */
  errors: [
    [/^error: unknown option '(.+?)'/, "erro: opção desconhecida '$1'"],
    [/^error: unknown command '(.+?)'/, "erro: comando desconhecido '$1'"],
    [/^error: missing required argument '(.+?)'/, "erro: falta o argumento obrigatório '$1'"],
    [/^error: option '(.+?)' argument missing/, "erro: falta o valor da opção '$1'"],
    [/^error: required option '(.+?)' not specified/, "erro: a opção obrigatória '$1' não foi informada"],
    [/^error: option '(.+?)' argument '(.+?)' is invalid\./, "erro: valor '$2' inválido para a opção '$1'."],
    [
      /^error: command-argument value '(.+?)' is invalid for argument '(.+?)'\./,
      "erro: valor '$1' inválido para o argumento '$2'.",
    ],
    [
      /^error: too many arguments(?: for '.+?')?\. Expected (\d+) arguments? but got (\d+): (.*)\./,
      "erro: argumentos demais: o comando aceita $1 e recebeu $2 ($3).",
    ],
    [/\(Did you mean one of (.+?)\?\)/, "(Você quis dizer um destes: $1?)"],
    [/\(Did you mean (.+?)\?\)/, "(Você quis dizer $1?)"],
    [/Allowed choices are (.+?)\./, "Valores aceitos: $1."],
  ] as [RegExp, string][],
};
