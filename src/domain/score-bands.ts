/** Score bands used by the work queue, policies and reports: low < 30% ≤ medium < 60% ≤ high. */
export const SCORE_BANDS = ["low", "medium", "high"] as const;
export type ScoreBand = (typeof SCORE_BANDS)[number];
export const BAND_LIMITS = { medium: 0.3, high: 0.6 } as const;

export function bandOf(probability: number): ScoreBand {
  if (probability >= BAND_LIMITS.high) return "high";
  return probability >= BAND_LIMITS.medium ? "medium" : "low";
}
