import { errorFunction, probit } from "simple-statistics";

/**
 * The statistics of experiments: uplift of one arm over another with its 95% confidence interval,
 * the two-sided p-value, and the sample size needed to detect an effect. Normal approximations,
 * fit for the hundreds of invoices per arm an experiment needs anyway (see sampleSizePerArm).
 */
export const CONFIDENCE_Z = 1.959963984540054; // 95%, two-sided
export const DEFAULT_POWER = 0.8;

export interface ProportionSample {
  n: number;
  successes: number;
}

export interface MeanSample {
  n: number;
  sum: number;
  sumOfSquares: number;
}

export interface Uplift {
  /** arm B minus arm A (a rate in proportions, or a mean in the sample's unit) */
  difference: number;
  low: number;
  high: number;
  pValue: number;
  /** the interval excludes zero */
  significant: boolean;
}

function normalTwoSided(z: number): number {
  // P(|Z| ≥ |z|) = 1 − erf(|z|/√2)
  return 1 - errorFunction(Math.abs(z) / Math.SQRT2);
}

function uplift(difference: number, standardError: number): Uplift {
  if (!(standardError > 0)) {
    return {
      difference,
      low: difference,
      high: difference,
      pValue: difference === 0 ? 1 : 0,
      significant: difference !== 0,
    };
  }
  const low = difference - CONFIDENCE_Z * standardError;
  const high = difference + CONFIDENCE_Z * standardError;
  return {
    difference,
    low,
    high,
    pValue: normalTwoSided(difference / standardError),
    significant: low > 0 || high < 0,
  };
}

/** Difference of two rates (B − A), unpooled standard error for the interval. */
export function proportionUplift(a: ProportionSample, b: ProportionSample): Uplift {
  if (a.n === 0 || b.n === 0) return { difference: 0, low: 0, high: 0, pValue: 1, significant: false };
  const pa = a.successes / a.n;
  const pb = b.successes / b.n;
  return uplift(pb - pa, Math.sqrt((pa * (1 - pa)) / a.n + (pb * (1 - pb)) / b.n));
}

/** Difference of two means (B − A), Welch's standard error. */
export function meanUplift(a: MeanSample, b: MeanSample): Uplift {
  if (a.n < 2 || b.n < 2) return { difference: 0, low: 0, high: 0, pValue: 1, significant: false };
  const mean = (s: MeanSample) => s.sum / s.n;
  const variance = (s: MeanSample) => Math.max(0, (s.sumOfSquares - (s.sum * s.sum) / s.n) / (s.n - 1));
  return uplift(mean(b) - mean(a), Math.sqrt(variance(a) / a.n + variance(b) / b.n));
}

/**
 * Invoices per arm needed to detect a change of `effect` (in rate) from `baseRate` with a
 * two-sided 5% test and the given power (default 80%).
 */
export function sampleSizePerArm(baseRate: number, effect: number, power: number = DEFAULT_POWER): number {
  const p1 = Math.min(0.999, Math.max(0.001, baseRate));
  const p2 = Math.min(0.999, Math.max(0.001, baseRate + effect));
  const z = CONFIDENCE_Z + probit(power);
  return Math.ceil((z * z * (p1 * (1 - p1) + p2 * (1 - p2))) / ((p2 - p1) * (p2 - p1)));
}

/** A paired difference over the same draws (the simulator's arms): mean of B − A with its interval. */
export function pairedUplift(a: readonly number[], b: readonly number[]): Uplift {
  const n = Math.min(a.length, b.length);
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = b[i]! - a[i]!;
    sum += d;
    squares += d * d;
  }
  if (n < 2) return { difference: n === 1 ? sum : 0, low: 0, high: 0, pValue: 1, significant: false };
  const mean = sum / n;
  const variance = Math.max(0, (squares - n * mean * mean) / (n - 1));
  return uplift(mean, Math.sqrt(variance / n));
}

/** The mean of a sample with its 95% interval. */
export function meanInterval(values: readonly number[]): {
  mean: number;
  low: number;
  high: number;
  n: number;
} {
  const n = values.length;
  if (n === 0) return { mean: 0, low: 0, high: 0, n };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = n > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : 0;
  const half = CONFIDENCE_Z * Math.sqrt(variance / n);
  return { mean, low: mean - half, high: mean + half, n };
}
