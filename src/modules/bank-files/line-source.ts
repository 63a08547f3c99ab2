import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

/** A file's lines, readable twice (once to hash, once to apply) without holding the file. */
export type LineSource = () => AsyncIterable<string> | Iterable<string>;

/**
 * Bytes read from disk at a time. Small on purpose: what is alive when V8 collects its young
 * generation is about one read's worth of lines, and with 64 KB reads (Node's default) enough of
 * it survives each collection that V8 keeps growing that generation for the whole file — the
 * process's peak memory then rises with the file's size though nothing is kept. 4 KB reads keep
 * it flat and cost no time (the operating system reads ahead anyway).
 */
const READ_BYTES = 4096;

/**
 * A CNAB file's lines, streamed. Latin-1 keeps one character per byte, so the layouts' byte
 * positions hold whatever the bank's encoding.
 */
export function fileLines(path: string): LineSource {
  return () =>
    createInterface({
      input: createReadStream(path, { encoding: "latin1", highWaterMark: READ_BYTES }),
      crlfDelay: Infinity,
    });
}

/** Lines of a text held in memory (an HTTP body), one at a time rather than split into an array. */
export function linesOfText(text: string): LineSource {
  return function* () {
    let start = 0;
    for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
      yield text.slice(start, end);
      start = end + 1;
    }
    yield text.slice(start);
  };
}
