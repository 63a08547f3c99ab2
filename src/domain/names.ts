/**
 * How a message or page greets a debtor: a person by the first name, capitalised ("MARIA DA
 * SILVA" → "Maria"); a company by its whole name ("Auto Peças Ltda", never "Auto").
 */
export function greetingName(name: string, kind: "person" | "company"): string {
  if (kind === "company") return name.trim();
  const first = name.trim().split(/\s+/)[0] ?? name;
  return first.charAt(0).toLocaleUpperCase("pt-BR") + first.slice(1).toLocaleLowerCase("pt-BR");
}
