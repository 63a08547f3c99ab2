/**
 * The clock is injected everywhere: services and jobs never read the system time directly, so
 * scenario tests and `regua simulate` can move time day by day.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still at the instant given until moved; for tests and simulations. */
export class FixedClock implements Clock {
  private current: Date;
  constructor(at: Date | string) {
    this.current = new Date(at);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
}
