import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loops, moduleEdges, runtimeImports } from "../../scripts/import-cycles.ts";

/**
 * The import structure of src/ as Node loads it (runtime imports only; `import type` is erased).
 * STYLE.md rule 13: modules import no loop. When one appears, `node scripts/import-cycles.ts`
 * prints the file imports that close it: move the shared code down to its layer or the
 * orchestrator up into a module of its own (as onboarding, lgpd and second-copy did), never a
 * dynamic import.
 */
const imports = runtimeImports(resolve(import.meta.dirname, "../.."));

describe("the import structure of src/", () => {
  it("reads what Node loads: runtime imports and re-exports count, `import type` does not", () => {
    expect(imports).toContainEqual({ from: "http/routes.ts", to: "portal/routes.ts" });
    expect(imports).toContainEqual({ from: "portal/routes.ts", to: "portal/page-kit.ts" });
    // `import type { ExtraHoliday } from "../../domain/calendar.ts"`: erased when Node runs it
    expect(imports).not.toContainEqual({ from: "modules/tenants/tenant.ts", to: "domain/calendar.ts" });
  });

  it("finds a loop however long it is, and only the loop", () => {
    const edges = [
      { from: "a", to: "b" },
      { from: "b", to: "c" },
      { from: "c", to: "a" },
      { from: "c", to: "d" },
      { from: "d", to: "e" },
    ];
    expect(loops(edges)).toEqual([["a", "b", "c"]]);
    expect(loops([...edges, { from: "e", to: "d" }])).toEqual([
      ["a", "b", "c"],
      ["d", "e"],
    ]);
  });

  it("no file of src/ imports itself back through others", () => {
    expect(loops(imports)).toEqual([]);
  });

  it("no module of src/modules/ imports itself back through other modules", () => {
    const edges = moduleEdges(imports);
    const found = loops(edges);
    const closing = found.flatMap((loop) =>
      edges
        .filter((edge) => loop.includes(edge.from) && loop.includes(edge.to))
        .map((edge) => `${edge.from} → ${edge.to} (${edge.via[0]})`),
    );
    expect(found, closing.join("\n")).toEqual([]);
  });
});
