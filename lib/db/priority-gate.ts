import { isBackgroundWork } from "./work-priority";

/**
 * One-at-a-time access to PGlite with two lanes. PGlite runs one statement or transaction at a
 * time in FIFO order; in front of it this gate lets foreground work (webhook acknowledgements,
 * pages) go before queued background work (the engine, the relay), so a backlog of runs adds at
 * most one background statement to a webhook's wait instead of the whole backlog.
 * While `holdBackground()` says a burst of foreground work is on, background work waits even when
 * the gate is momentarily free (between two webhook batches); it still gets a turn at least every
 * `maxBackgroundWaitMs`, so runs never starve.
 */
export class PriorityGate {
  #held = false;
  readonly #foreground: (() => void)[] = [];
  readonly #background: { grant: () => void; since: number }[] = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly maxBackgroundWaitMs = 100,
    private readonly holdBackground: () => boolean = () => false,
  ) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.#acquire(isBackgroundWork());
    try {
      return await fn();
    } finally {
      this.#handOff();
    }
  }

  #acquire(background: boolean): Promise<void> {
    if (!this.#held && !(background && this.holdBackground())) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((grant) => {
      if (background) {
        this.#background.push({ grant, since: performance.now() });
        this.#wakeLater();
      } else this.#foreground.push(grant);
    });
  }

  /** Passes the gate straight to the next caller, or frees it; looks again later for held-back background work. */
  #handOff() {
    const next = this.#next();
    this.#held = next !== undefined;
    next?.();
    this.#wakeLater();
  }

  /** Who goes next: an overdue background caller, else the foreground, else background unless held back. */
  #next(): (() => void) | undefined {
    const oldest = this.#background[0];
    if (oldest && performance.now() - oldest.since >= this.maxBackgroundWaitMs) return this.#background.shift()!.grant;
    if (this.#foreground.length > 0) return this.#foreground.shift();
    if (oldest && !this.holdBackground()) return this.#background.shift()!.grant;
    return undefined;
  }

  /** While background callers wait at a free gate, look again when the oldest is due or the burst may have ended. */
  #wakeLater() {
    if (this.#timer || this.#held || this.#background.length === 0) return;
    const due = this.#background[0].since + this.maxBackgroundWaitMs - performance.now();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.#held) this.#handOff();
    }, Math.max(1, Math.min(due, 10)));
  }
}
