import { dirname, relative, resolve, sep } from "node:path";
import {
  isExportDeclaration,
  isImportDeclaration,
  isStringLiteral,
  type SourceFile,
  SyntaxKind,
} from "typescript/unstable/ast";
import { API } from "typescript/unstable/sync";

/**
 * The import loops of src/, read with the TypeScript compiler API (the project's own `tsc`).
 * Only imports that load code when Node runs the file count: `import type`, `export type … from`
 * and imports whose every name is `type` are left out, because Node erases them (the project
 * compiles with verbatimModuleSyntax, so `import { type A } from` still loads its module — it
 * counts, and should be written `import type`).
 *
 * Two views, each a list of loops (strongly connected components of more than one node):
 * - between files of src/: a loop means a module can be evaluated before its imports are;
 * - between the modules of src/modules/ (one node per folder): a loop means no module in it can
 *   be read, tested or changed without the others (STYLE.md rule 13). The layers around them are
 *   left out on purpose: src/http/routes.ts registers every module's routes and src/db/database.ts
 *   names every module's table types — composition roots, not dependencies of a rule.
 *
 *   node scripts/import-cycles.ts          prints each loop and exits 1 when there is one
 */

export interface FileImport {
  /** both relative to src/, with "/" separators: "modules/actions/planner.ts" */
  from: string;
  to: string;
}

export interface ModuleEdge {
  from: string;
  to: string;
  /** the file imports behind the edge, to show where to cut */
  via: string[];
}

/** Does Node load the target when it runs this declaration? */
function loadsAtRuntime(statement: SourceFile["statements"][number]): string | null {
  if (isImportDeclaration(statement)) {
    if (!isStringLiteral(statement.moduleSpecifier)) return null;
    const clause = statement.importClause;
    if (clause?.phaseModifier === SyntaxKind.TypeKeyword) return null;
    // even `import { type A } from "x"` loads x: verbatimModuleSyntax keeps it as `import {} from "x"`
    return statement.moduleSpecifier.text;
  }
  if (isExportDeclaration(statement) && statement.moduleSpecifier) {
    if (statement.isTypeOnly || !isStringLiteral(statement.moduleSpecifier)) return null;
    return statement.moduleSpecifier.text;
  }
  return null;
}

/** Every runtime import between two files of `<projectRoot>/src`, from the project's tsconfig. */
export function runtimeImports(projectRoot: string): FileImport[] {
  const srcRoot = resolve(projectRoot, "src");
  const inSrc = (file: string) => relative(srcRoot, file).split(sep).join("/");
  const api = new API({ cwd: projectRoot });
  try {
    const project = api.updateSnapshot({ openProject: resolve(projectRoot, "tsconfig.json") }).getProjects()[0];
    if (!project) throw new Error(`no TypeScript project at ${projectRoot}`);
    const imports: FileImport[] = [];
    for (const fileName of project.program.getSourceFileNames()) {
      if (!fileName.startsWith(srcRoot + sep) && !fileName.startsWith(`${srcRoot}/`)) continue;
      const source = project.program.getSourceFile(fileName);
      if (!source) continue;
      for (const statement of source.statements) {
        const specifier = loadsAtRuntime(statement);
        if (!specifier?.startsWith(".")) continue;
        const target = resolve(dirname(fileName), specifier);
        if (relative(srcRoot, target).startsWith("..")) continue;
        imports.push({ from: inSrc(fileName), to: inSrc(target) });
      }
    }
    return imports;
  } finally {
    api.close();
  }
}

/** The module of a file under src/modules/ ("actions", "daily-run", …), else null. */
export function moduleOf(file: string): string | null {
  const parts = file.split("/");
  return parts[0] === "modules" && parts.length > 2 ? parts[1]! : null;
}

/** The edges between two different modules of src/modules/, each with the file imports behind it. */
export function moduleEdges(imports: FileImport[]): ModuleEdge[] {
  const edges = new Map<string, ModuleEdge>();
  for (const { from, to } of imports) {
    const source = moduleOf(from);
    const target = moduleOf(to);
    if (!source || !target || source === target) continue;
    const key = `${source}→${target}`;
    const edge = edges.get(key) ?? { from: source, to: target, via: [] };
    edge.via.push(`${from} → ${to}`);
    edges.set(key, edge);
  }
  return [...edges.values()];
}

/** The strongly connected components with more than one node (Tarjan), each sorted, sorted by first node. */
export function loops(edges: { from: string; to: string }[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
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
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

if (import.meta.main) {
  const imports = runtimeImports(resolve(import.meta.dirname, ".."));
  const fileLoops = loops(imports);
  for (const loop of fileLoops) process.stdout.write(`laço de ${loop.length} arquivos: ${loop.join(", ")}\n`);
  const edges = moduleEdges(imports);
  const moduleLoops = loops(edges);
  for (const loop of moduleLoops) {
    process.stdout.write(`laço de ${loop.length} módulos: ${loop.join(", ")}\n`);
    for (const edge of edges.filter((e) => loop.includes(e.from) && loop.includes(e.to))) {
      process.stdout.write(`  ${edge.from} → ${edge.to}   (${edge.via.join("; ")})\n`);
    }
  }
  if (fileLoops.length + moduleLoops.length === 0) {
    process.stdout.write("nenhum laço de importação em src/ (arquivos e módulos de src/modules/)\n");
  }
  process.exitCode = fileLoops.length + moduleLoops.length > 0 ? 1 : 0;
}
