// Locks after the configured minutes without activity. Activity is any call from the window (the
// renderer reports input through `vault.activity`); the timer re-arms on each.

export class IdleTimer {
  #timer: NodeJS.Timeout | undefined;
  #minutes: number;
  #armed = false;

  constructor(
    minutes: number,
    private readonly onIdle: () => void,
  ) {
    this.#minutes = minutes;
  }

  start(): void {
    this.#armed = true;
    this.touch();
  }

  stop(): void {
    this.#armed = false;
    clearTimeout(this.#timer);
  }

  touch(): void {
    if (!this.#armed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#armed = false;
      this.onIdle();
    }, this.#minutes * 60_000);
    this.#timer.unref?.();
  }

  setMinutes(minutes: number): void {
    this.#minutes = minutes;
    if (this.#armed) this.touch();
  }
}
