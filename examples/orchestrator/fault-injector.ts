/**
 * Makes a share of phase-4 requests fail, for the multi-instance demo: the errors a bad release would
 * cause. Failures are spread evenly (at 0.25, every fourth request) rather than drawn at random, so
 * the error rate over any window is the rate set.
 */
export class FaultInjector {
  #rate: number;
  #seen = 0;

  constructor(rate: number) {
    this.#rate = checkRate(rate);
  }

  get rate(): number {
    return this.#rate;
  }

  setRate(rate: number): void {
    this.#rate = checkRate(rate);
  }

  /** Whether this request fails; counts it either way. */
  nextFails(): boolean {
    const before = Math.floor(this.#seen * this.#rate);
    this.#seen += 1;
    return Math.floor(this.#seen * this.#rate) > before;
  }
}

function checkRate(rate: number): number {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`Fault rate must be between 0 and 1, got ${rate}`);
  return rate;
}
