import type { Clock } from '../../functions/core/ports/runtime.ts';

/** The sandbox's clock: the engine moves it forward (`.clock.json`, `POST /sandbox/clock`) and spaces events. */
export interface SandboxClock extends Clock {
  /** Moves the clock to `next` if that is later; never back. */
  advanceTo(next: Date): void;
  /** Marks that one event was processed: later ones come after it on every timeline. */
  tick(milliseconds: number): void;
}
