/**
 * How long each step of a bulk use case took, printed to stderr when `REGUA_TIMINGS` is set (any
 * value): the profile behind the benchmarks' floors (`npm run bench`), so the slowest step is
 * measured, not guessed. Unset, it costs a branch per step. Elapsed time is wall time measured by
 * the process, never the injected clock: it describes the run, not the business day.
 */
export interface StepTimer {
  /** Marks the end of the step named `name` (the time since the previous mark or the start). */
  step(name: string): void;
}

const silent: StepTimer = { step() {} };

export function stepTimer(label: string, env: NodeJS.ProcessEnv = process.env): StepTimer {
  if (!env.REGUA_TIMINGS) return silent;
  let last = performance.now();
  return {
    step(name) {
      const now = performance.now();
      process.stderr.write(`[timings] ${label} ${name}: ${((now - last) / 1000).toFixed(3)} s\n`);
      last = now;
    },
  };
}
