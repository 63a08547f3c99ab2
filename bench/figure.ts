/**
 * A benchmark reports figures; each is printed beside its floor as a ratio from the same run.
 * `ratio` is always "how many times better than the floor" (≥ 1 passes), whichever way is better.
 */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  floor: number;
  /** "lower" for times and memory, "higher" for rates. */
  better: "lower" | "higher";
  /** Extra context printed after the figure (sizes, medians of how many runs). */
  note?: string;
}

export function ratioOf(figure: BenchFigure): number {
  return figure.better === "lower" ? figure.floor / figure.value : figure.value / figure.floor;
}

/** The median of a list of samples; benchmarks quote medians because the machines are noisy. */
export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * A benchmark returns its figures; one that runs long may also `emit` each figure as soon as it is
 * measured (printed at once, and kept if a later step fails or is stopped).
 */
export type Benchmark = (emit: (figure: BenchFigure) => void) => Promise<BenchFigure[]>;
