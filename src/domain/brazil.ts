/** The 27 federative units (26 states and the Federal District) with the IANA zone of their capital. */
export interface BrazilianState {
  uf: string;
  name: string;
  timeZone: string;
}

export const BRAZILIAN_STATES: readonly BrazilianState[] = [
  { uf: "AC", name: "Acre", timeZone: "America/Rio_Branco" },
  { uf: "AL", name: "Alagoas", timeZone: "America/Maceio" },
  { uf: "AP", name: "Amapá", timeZone: "America/Belem" },
  { uf: "AM", name: "Amazonas", timeZone: "America/Manaus" },
  { uf: "BA", name: "Bahia", timeZone: "America/Bahia" },
  { uf: "CE", name: "Ceará", timeZone: "America/Fortaleza" },
  { uf: "DF", name: "Distrito Federal", timeZone: "America/Sao_Paulo" },
  { uf: "ES", name: "Espírito Santo", timeZone: "America/Sao_Paulo" },
  { uf: "GO", name: "Goiás", timeZone: "America/Sao_Paulo" },
  { uf: "MA", name: "Maranhão", timeZone: "America/Fortaleza" },
  { uf: "MT", name: "Mato Grosso", timeZone: "America/Cuiaba" },
  { uf: "MS", name: "Mato Grosso do Sul", timeZone: "America/Campo_Grande" },
  { uf: "MG", name: "Minas Gerais", timeZone: "America/Sao_Paulo" },
  { uf: "PA", name: "Pará", timeZone: "America/Belem" },
  { uf: "PB", name: "Paraíba", timeZone: "America/Fortaleza" },
  { uf: "PR", name: "Paraná", timeZone: "America/Sao_Paulo" },
  { uf: "PE", name: "Pernambuco", timeZone: "America/Recife" },
  { uf: "PI", name: "Piauí", timeZone: "America/Fortaleza" },
  { uf: "RJ", name: "Rio de Janeiro", timeZone: "America/Sao_Paulo" },
  { uf: "RN", name: "Rio Grande do Norte", timeZone: "America/Fortaleza" },
  { uf: "RS", name: "Rio Grande do Sul", timeZone: "America/Sao_Paulo" },
  { uf: "RO", name: "Rondônia", timeZone: "America/Porto_Velho" },
  { uf: "RR", name: "Roraima", timeZone: "America/Boa_Vista" },
  { uf: "SC", name: "Santa Catarina", timeZone: "America/Sao_Paulo" },
  { uf: "SP", name: "São Paulo", timeZone: "America/Sao_Paulo" },
  { uf: "SE", name: "Sergipe", timeZone: "America/Maceio" },
  { uf: "TO", name: "Tocantins", timeZone: "America/Araguaina" },
];

const byUf = new Map(BRAZILIAN_STATES.map((state) => [state.uf, state]));

/** Whether `uf` is one of the 27 UFs (upper case, e.g. 'SP'). */
export function isState(uf: string): boolean {
  return byUf.has(uf);
}

/** The time zone in which business rules run for a debtor in that UF; 'America/Sao_Paulo' when unknown. */
export function timeZoneOfState(uf: string | null | undefined): string {
  return (uf && byUf.get(uf.toUpperCase())?.timeZone) || "America/Sao_Paulo";
}

/** The state's name ('SP' → 'São Paulo'), or undefined. */
export function stateName(uf: string): string | undefined {
  return byUf.get(uf.toUpperCase())?.name;
}
