import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fileLines, linesOfText } from "../../src/modules/bank-files/line-source.ts";

async function collect(lines: AsyncIterable<string> | Iterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe("a return file's lines", () => {
  const folder = mkdtempSync(join(tmpdir(), "regua-lines-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  // 240-character CNAB lines cross the 64 KB reads; Latin-1 bytes stay one character each
  const lines = Array.from({ length: 300 }, (_, n) => `${String(n).padStart(6, "0")}${"ÇÃO".repeat(78)}`);

  it("are read from disk whole, in order, across reads, with CRLF or LF, and twice alike", async () => {
    for (const ending of ["\r\n", "\n"]) {
      const path = join(folder, `retorno${ending.length}.ret`);
      writeFileSync(path, Buffer.from(lines.join(ending) + ending, "latin1"));
      const source = fileLines(path);
      const first = await collect(source());
      expect(first).toEqual(lines);
      expect(await collect(source())).toEqual(first);
    }
  });

  it("end at CR alone too, and a CRLF split between two reads ends one line", async () => {
    const path = join(folder, "retorno-cr.ret");
    writeFileSync(path, Buffer.from("a\rb\r\nc\n\nd", "latin1"));
    expect(await collect(fileLines(path)())).toEqual(["a", "b", "c", "", "d"]);
    writeFileSync(path, Buffer.from("a\r\rb\n\rc\r", "latin1"));
    expect(await collect(fileLines(path)())).toEqual(["a", "", "b", "", "c"]);
    // 64 KB reads: the CR is the first read's last byte and its LF the next read's first
    const long = "x".repeat(64 * 1024 - 1);
    writeFileSync(path, Buffer.from(`${long}\r\nnext\r\n`, "latin1"));
    expect(await collect(fileLines(path)())).toEqual([long, "next"]);
    // a CR ending a read, and the next read starting with another line
    writeFileSync(path, Buffer.from(`${long}\rnext`, "latin1"));
    expect(await collect(fileLines(path)())).toEqual([long, "next"]);
  });

  it("are split from an HTTP body as split('\\n') would, without the array", async () => {
    for (const text of [lines.join("\n"), `${lines.join("\r\n")}\r\n`, "", "\n\nx"]) {
      expect(await collect(linesOfText(text)())).toEqual(text.split("\n"));
    }
  });
});
