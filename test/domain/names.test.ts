import { expect, it } from "vitest";
import { greetingName } from "../../src/domain/names.ts";

it("greets a person by the first name and a company by its whole name", () => {
  expect(greetingName("MARIA DA SILVA", "person")).toBe("Maria");
  expect(greetingName("  joão  pedro ", "person")).toBe("João");
  expect(greetingName("Auto Peças Irmãos Ltda", "company")).toBe("Auto Peças Irmãos Ltda");
});
