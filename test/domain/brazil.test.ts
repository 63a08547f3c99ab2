import { describe, expect, it } from "vitest";
import { BRAZILIAN_STATES, isState, timeZoneOfState } from "../../src/domain/brazil.ts";

describe("Brazilian states (IBGE list of 27 UFs; IANA tz database zones)", () => {
  it("lists the 26 states and the Federal District once each", () => {
    expect(BRAZILIAN_STATES).toHaveLength(27);
    expect(new Set(BRAZILIAN_STATES.map((state) => state.uf)).size).toBe(27);
    expect(isState("DF")).toBe(true);
    expect(isState("XX")).toBe(false);
  });

  it("gives each state's time zone, São Paulo by default", () => {
    expect(timeZoneOfState("SP")).toBe("America/Sao_Paulo");
    expect(timeZoneOfState("AM")).toBe("America/Manaus");
    expect(timeZoneOfState("AC")).toBe("America/Rio_Branco");
    expect(timeZoneOfState("mt")).toBe("America/Cuiaba");
    expect(timeZoneOfState("XX")).toBe("America/Sao_Paulo");
    expect(timeZoneOfState(undefined)).toBe("America/Sao_Paulo");
  });
});
