#!/usr/bin/env node
// The `regua` command. The source is TypeScript run by Node's own type stripping (Node ≥ 22.18);
// on an older system Node it re-runs itself on the Node pinned in the project's dependencies.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "cli", "main.ts");
const [major, minor] = process.versions.node.split(".").map(Number);
if (major > 22 || (major === 22 && minor >= 18)) {
  await import(entry);
} else {
  const pinnedNode = join(dirname(createRequire(import.meta.url).resolve("node/package.json")), "bin", "node");
  const run = spawnSync(pinnedNode, [entry, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(run.status ?? 1);
}
