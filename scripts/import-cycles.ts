import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The import loops between the modules of src/modules/ (one node per module folder). A loop means
 * no module in it can be read, tested or changed without the others. The layers around them are
 * left out on purpose: src/http/routes.ts registers every module's routes and src/db/database.ts
 * names every module's table types — composition roots, not dependencies of a rule.
 * Reads `import … from "./…"` with a regular expression (no TypeScript needed); `import type`
 * counts too, because a type is part of the contract between modules.
 *
 *   node scripts/import-cycles.ts          prints each loop and exits 1 when there is one
 */

const IMPORT = /^(?:import|export)\s[^;]*?\sfrom\s+"(\.{1,2}\/[^"]+)"/gms;

export interface ImportEdge {
  from: string;
  to: string;
  /** one file import behind the edge, to show where to cut */
  via: string;
}

/** The module of a file under src/modules/ ("actions", "daily-run", …), else null. */
export function nodeOf(srcRoot: string, file: string): string | null {
  const parts = relative(srcRoot, file).split(/[\\/]/);
  return parts[0] === "modules" && parts.length > 2 ? parts[1]! : null;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") || name.endsWith(".tsx") ? [path] : [];
  });
}

/** Every edge between two different folder nodes, once per pair. */
export function importEdges(srcRoot: string): ImportEdge[] {
  const edges = new Map<string, ImportEdge>();
  for (const file of sourceFiles(srcRoot)) {
    const from = nodeOf(srcRoot, file);
    if (!from) continue;
    for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const target = resolve(dirname(file), match[1]!);
      if (relative(srcRoot, target).startsWith("..")) continue;
      const to = nodeOf(srcRoot, target);
      if (!to) continue;
      const key = `${from}→${to}`;
      if (from !== to && !edges.has(key)) {
        edges.set(key, { from, to, via: `${relative(srcRoot, file)} → ${relative(srcRoot, target)}` });
      }
    }
  }
  return [...edges.values()];
}

/** The strongly connected components with more than one node (Tarjan), each sorted by name. */
export function importLoops(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) loops.push(component.sort());
    }
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return loops;
}

if (import.meta.main) {
  const srcRoot = resolve(import.meta.dirname, "../src");
  const edges = importEdges(srcRoot);
  const loops = importLoops(edges);
  for (const loop of loops) {
    process.stdout.write(`laço de ${loop.length} módulos: ${loop.join(", ")}\n`);
    for (const edge of edges.filter((e) => loop.includes(e.from) && loop.includes(e.to))) {
      process.stdout.write(`  ${edge.from} → ${edge.to}   (${edge.via})\n`);
    }
  }
  if (loops.length === 0) process.stdout.write("nenhum laço de importação entre os módulos de src/modules/\n");
  process.exitCode = loops.length > 0 ? 1 : 0;
}
