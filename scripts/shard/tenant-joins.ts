import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { TABLES_WITHOUT_TENANT, TENANT_COLUMN } from "./tenant-schema.ts";

/**
 * A lint over the SQL in src/: a join of a tenant table must equate that table's tenant_id in its
 * ON clause (with the other table's, or with the tenant parameter). On Citus such a join stays on
 * one node (colocated); without it the planner must look across shards, and on one PostgreSQL it is
 * the query that could mix two creditors' rows. A lint and not a runtime guard, because a guard sees
 * only the queries the suite happens to run, and this one reads every query, run or not.
 *
 * It reads every template literal (Kysely's sql`…`, and any SQL kept in a plain template) with its
 * ${…} parts masked, Kysely's builder joins (`.innerJoin("x as y", (j) => …)`), and the database's
 * own functions in schema.sql. A joined subquery that reads a tenant table need only mention
 * tenant_id. What it does not read: comma joins in FROM (none in src/), joins of a CTE (the joins
 * inside the CTE are read, not whether its body filters by tenant), and WHERE clauses.
 */

export interface JoinFinding {
  file: string;
  line: number;
  /** The join as written, up to the end of its ON clause. */
  join: string;
  problem: string;
}

/**
 * Joins the lint cannot see are safe, each with why; matched by file and the join's start as
 * written (`join windows w`), so that the reason stays beside the query it excuses.
 */
export const ALLOWED_JOINS: { file: string; join: string; reason: string }[] = [];

/** Tables with a tenant_id column, read from the generated schema dump. */
export function tenantTables(schemaSql: string): Set<string> {
  const tables = new Set<string>();
  let current: string | undefined;
  for (const line of schemaSql.split("\n")) {
    const opened = /^table (\w+) \($/.exec(line);
    if (opened) current = opened[1];
    else if (line === ")") current = undefined;
    else if (current && line.startsWith(`  ${TENANT_COLUMN} `)) tables.add(current);
  }
  for (const name of Object.keys(TABLES_WITHOUT_TENANT)) tables.delete(name);
  return tables;
}

interface Template {
  /** The literal's text with each ${…} replaced by `?` (newlines kept), so offsets match the file. */
  text: string;
  /** Offset of the text's first character in the file. */
  start: number;
}

/** Every template literal in a TypeScript source, nested ones included. */
export function templateLiterals(source: string): Template[] {
  const found: Template[] = [];
  scanCode(source, 0, false, found);
  return found;
}

/** Skips code from `i`; with `untilBrace`, stops after the `}` closing a ${…}. Returns the end. */
function scanCode(source: string, from: number, untilBrace: boolean, found: Template[]): number {
  let depth = 0;
  let i = from;
  let previous = "";
  while (i < source.length) {
    const char = source[i] as string;
    const next = source[i + 1];
    if (char === "/" && next === "/") {
      i = source.indexOf("\n", i);
      if (i < 0) return source.length;
      continue;
    }
    if (char === "/" && next === "*") {
      i = source.indexOf("*/", i + 2) + 2;
      if (i < 2) return source.length;
      continue;
    }
    if (char === "'" || char === '"') {
      i = skipQuoted(source, i, char);
      previous = char;
      continue;
    }
    if (char === "/" && (previous === "" || "(,=:[!&|?{};".includes(previous))) {
      i = skipRegex(source, i);
      previous = "/";
      continue;
    }
    if (char === "`") {
      i = scanTemplate(source, i, found);
      previous = "`";
      continue;
    }
    if (char === "{") depth++;
    if (char === "}") {
      if (untilBrace && depth === 0) return i + 1;
      depth--;
    }
    if (!/\s/.test(char)) previous = char;
    i++;
  }
  return i;
}

function skipQuoted(source: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < source.length && source[i] !== quote && source[i] !== "\n") i += source[i] === "\\" ? 2 : 1;
  return i + 1;
}

function skipRegex(source: string, from: number): number {
  let i = from + 1;
  let inClass = false;
  while (i < source.length && source[i] !== "\n") {
    const char = source[i];
    if (char === "\\") i++;
    else if (char === "[") inClass = true;
    else if (char === "]") inClass = false;
    else if (char === "/" && !inClass) return i + 1;
    i++;
  }
  return i;
}

function scanTemplate(source: string, from: number, found: Template[]): number {
  let text = "";
  let i = from + 1;
  while (i < source.length && source[i] !== "`") {
    if (source[i] === "\\") {
      text += source.slice(i, i + 2);
      i += 2;
    } else if (source[i] === "$" && source[i + 1] === "{") {
      const end = scanCode(source, i + 2, true, found);
      text += source.slice(i, end).replace(/[^\n]/g, "?");
      i = end;
    } else {
      text += source[i];
      i++;
    }
  }
  found.push({ text, start: from + 1 });
  return i + 1;
}

const JOIN = /\b(?:(natural|cross|left|right|full|inner)\s+)?(?:outer\s+)?join\s+(lateral\s+)?/gi;
const RELATION = /^(\(|[a-z_][\w.]*)\s*(\()?/i;
const NOT_AN_ALIAS = new Set([
  "on",
  "using",
  "where",
  "join",
  "left",
  "right",
  "full",
  "inner",
  "cross",
  "natural",
]);
const CLAUSE_END =
  /^(join|left|right|full|inner|cross|natural|where|group|order|limit|offset|union|except|intersect|having|window|returning|for|on\s+conflict)\b/i;

/** Findings in one SQL text (a template's masked text), with offsets into that text. */
export function crossTenantJoins(
  sqlText: string,
  tenantTableNames: Set<string>,
): { offset: number; join: string; problem: string }[] {
  const findings: { offset: number; join: string; problem: string }[] = [];
  const cteNames = new Set(
    [...sqlText.matchAll(/(\w+)\s+as\s+(?:not\s+)?(?:materialized\s+)?\(/gi)].map((match) =>
      (match[1] as string).toLowerCase(),
    ),
  );
  for (const match of sqlText.matchAll(JOIN)) {
    const kind = (match[1] ?? "").toLowerCase();
    let at = match.index + match[0].length;
    const relation = RELATION.exec(sqlText.slice(at));
    if (relation?.[1] === "(") {
      const body = sqlText.slice(
        at + relation[0].length,
        closingParenthesis(sqlText, at + relation[0].length),
      );
      const read = readTenantTable(body, tenantTableNames, cteNames);
      if (read && !new RegExp(`\\b${TENANT_COLUMN}\\b`, "i").test(body)) {
        const written = sqlText
          .slice(match.index, at + relation[0].length + 40)
          .replace(/\s+/g, " ")
          .trim();
        findings.push({
          offset: match.index,
          join: written,
          problem: `joined subquery reads ${read} without ${TENANT_COLUMN}`,
        });
      }
      continue;
    }
    // a function (unnest, jsonb_to_record) or a lateral call: no table of its own
    if (!relation || relation[2] || match[2]) continue;
    const table = (relation[1] as string).replace(/^public\./i, "").toLowerCase();
    if (!tenantTableNames.has(table) || cteNames.has(table)) continue;
    at += relation[0].length;
    const aliasMatch = /^(?:as\s+)?([a-z_]\w*)\s*/i.exec(sqlText.slice(at));
    let alias = table;
    if (aliasMatch && !NOT_AN_ALIAS.has((aliasMatch[1] as string).toLowerCase())) {
      alias = (aliasMatch[1] as string).toLowerCase();
      at += aliasMatch[0].length;
    }
    const end = clauseEnd(sqlText, at);
    const clause = sqlText.slice(at, end);
    const written = sqlText.slice(match.index, end).replace(/\s+/g, " ").trim();
    const tenant = `(?:\\b${alias}\\.)${TENANT_COLUMN}\\b`;
    let problem: string | undefined;
    if (kind === "cross" || kind === "natural")
      problem = `${kind} join of ${table} has no ${TENANT_COLUMN} equality`;
    else if (/^using\b/i.test(clause)) {
      if (!new RegExp(`\\b${TENANT_COLUMN}\\b`, "i").test(clause))
        problem = `join of ${table} using (…) leaves out ${TENANT_COLUMN}`;
    } else if (!new RegExp(`${tenant}\\s*=|=\\s*${tenant}`, "i").test(clause)) {
      problem = `join of ${table} ${alias} does not equate ${alias}.${TENANT_COLUMN} in its ON clause`;
    }
    if (problem) findings.push({ offset: match.index, join: written, problem });
  }
  return findings;
}

/** The first tenant table a subquery reads (not a CTE of the enclosing query), if any. */
function readTenantTable(
  body: string,
  tenantTableNames: Set<string>,
  cteNames: Set<string>,
): string | undefined {
  for (const match of body.matchAll(/\b(?:from|join)\s+([a-z_][\w.]*)/gi)) {
    const table = (match[1] as string).replace(/^public\./i, "").toLowerCase();
    if (tenantTableNames.has(table) && !cteNames.has(table)) return table;
  }
  return undefined;
}

/** The offset of the `)` closing the parenthesis opened just before `from`. */
function closingParenthesis(sqlText: string, from: number): number {
  let depth = 0;
  for (let i = from; i < sqlText.length; i++) {
    if (sqlText[i] === "(") depth++;
    else if (sqlText[i] === ")" && depth-- === 0) return i;
  }
  return sqlText.length;
}

/** Where a join's ON/USING clause ends: the next clause keyword or closing parenthesis at its depth. */
function clauseEnd(sqlText: string, from: number): number {
  let depth = 0;
  for (let i = from; i < sqlText.length; i++) {
    const char = sqlText[i];
    if (char === "(") depth++;
    else if (char === ")") {
      if (depth === 0) return i;
      depth--;
    } else if (char === ";" && depth === 0) return i;
    else if (depth === 0 && /\s/.test(sqlText[i - 1] ?? " ") && CLAUSE_END.test(sqlText.slice(i, i + 12)))
      return i;
  }
  return sqlText.length;
}

const BUILDER_JOIN = /\.(innerJoin|leftJoin|rightJoin|fullJoin|crossJoin)\(\s*"(\w+)(?:\s+as\s+(\w+))?"/g;

/** Kysely builder joins of a tenant table whose arguments never mention tenant_id. */
export function crossTenantBuilderJoins(
  source: string,
  tenantTableNames: Set<string>,
): { offset: number; join: string; problem: string }[] {
  const findings: { offset: number; join: string; problem: string }[] = [];
  for (const match of source.matchAll(BUILDER_JOIN)) {
    const table = match[2] as string;
    if (!tenantTableNames.has(table)) continue;
    let depth = 0;
    let end = match.index + match[0].length;
    for (; end < source.length; end++) {
      if (source[end] === "(") depth++;
      else if (source[end] === ")") {
        if (depth === 0) break;
        depth--;
      }
    }
    const call = source.slice(match.index, end + 1);
    if (!call.includes(TENANT_COLUMN)) {
      findings.push({
        offset: match.index,
        join: call.replace(/\s+/g, " "),
        problem: `${match[1]} of ${table} does not equate ${match[3] ?? table}.${TENANT_COLUMN}`,
      });
    }
  }
  return findings;
}

export const SCHEMA_FILE = "src/db/schema.sql";

/**
 * Every finding in the TypeScript files under `root` (src/) and in the database's own functions
 * (the dump `schemaSql`, reported as src/db/schema.sql), as file:line, less the allowed ones.
 */
export function lintTenantJoins(root: string, schemaSql: string, allowed = ALLOWED_JOINS): JoinFinding[] {
  const tables = tenantTables(schemaSql);
  const findings: JoinFinding[] = [];
  const functions = schemaSql.indexOf("CREATE OR REPLACE FUNCTION");
  if (functions >= 0) {
    const lineAt = (offset: number) => schemaSql.slice(0, offset).split("\n").length;
    for (const finding of crossTenantJoins(schemaSql.slice(functions), tables)) {
      const line = lineAt(functions + finding.offset);
      findings.push({ file: SCHEMA_FILE, line, join: finding.join, problem: finding.problem });
    }
  }
  for (const path of typeScriptFiles(root)) {
    const source = readFileSync(path, "utf8");
    const file = relative(process.cwd(), path);
    const lineAt = (offset: number) => source.slice(0, offset).split("\n").length;
    const found = [
      ...templateLiterals(source).flatMap((template) =>
        crossTenantJoins(template.text, tables).map((finding) => ({
          ...finding,
          offset: template.start + finding.offset,
        })),
      ),
      ...crossTenantBuilderJoins(source, tables),
    ];
    for (const finding of found.sort((a, b) => a.offset - b.offset)) {
      if (allowed.some((entry) => entry.file === file && finding.join.startsWith(entry.join))) continue;
      findings.push({ file, line: lineAt(finding.offset), join: finding.join, problem: finding.problem });
    }
  }
  return findings;
}

function typeScriptFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return typeScriptFiles(path);
      return entry.name.endsWith(".ts") ? [path] : [];
    })
    .sort();
}
