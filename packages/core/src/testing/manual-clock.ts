import type { Clock } from '../clock.js';

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 1, 12, 0, 0)) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advanceSeconds(seconds: number): void {
    this.current += seconds * 1000;
  }
}
