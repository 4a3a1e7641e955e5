import { isBackgroundWork } from "./work-priority";

/**
 * One-at-a-time access to PGlite with two lanes. PGlite runs one statement or transaction at a
 * time in FIFO order; in front of it this gate lets foreground work (webhook acknowledgements,
 * pages) go before queued background work (the engine, the relay), so a backlog of runs adds at
 * most one background statement to a webhook's wait instead of the whole backlog.
 * Background work still gets a turn whenever the foreground lane is empty, and at least one turn
 * every `maxBackgroundWaitMs` while it is not, so runs never starve.
 */
export class PriorityGate {
  #held = false;
  readonly #foreground: (() => void)[] = [];
  readonly #background: { grant: () => void; since: number }[] = [];

  constructor(private readonly maxBackgroundWaitMs = 100) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.#acquire(isBackgroundWork());
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  #acquire(background: boolean): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((grant) => {
      if (background) this.#background.push({ grant, since: performance.now() });
      else this.#foreground.push(grant);
    });
  }

  #release() {
    const oldestBackground = this.#background[0];
    const backgroundOverdue = oldestBackground !== undefined && performance.now() - oldestBackground.since >= this.maxBackgroundWaitMs;
    const next = this.#foreground.length > 0 && !backgroundOverdue ? this.#foreground.shift() : this.#background.shift()?.grant;
    if (next) next(); // the gate stays held: ownership passes straight to the next caller
    else this.#held = false;
  }
}
