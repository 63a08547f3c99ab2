#!/usr/bin/env node
import { enableCompileCache } from "node:module";

// Every command is a process of its own that loads the whole program: Node's compile cache (in the
// system's temporary folder) keeps the compiled modules from one run to the next, so a command
// spends about half the CPU time starting. It is enabled before the program is imported.
enableCompileCache();
const { buildProgram } = await import("./program.ts");
const { runCli } = await import("./run.ts");

await runCli(buildProgram(), process.argv);
