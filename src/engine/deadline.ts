/**
 * A check's time bound that stands still while the user's part is played: a person at the terminal answers
 * when they can (the one wait without a bound), and that time is not the check's.
 * @module
 */

export class Deadline {
  private readonly controller = new AbortController()
  private remainingMs: number
  private startedAt = 0
  private timer: NodeJS.Timeout | undefined
  private paused = 0

  constructor(readonly boundMs: number) {
    this.remainingMs = boundMs
    this.run()
  }

  /** Aborted once the check has used up its bound. */
  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** Stops the clock until `resume` (nested calls count: concurrent driver calls of one check). */
  pause(): void {
    if (this.paused++ > 0 || this.controller.signal.aborted) return
    clearTimeout(this.timer)
    this.remainingMs -= performance.now() - this.startedAt
  }

  resume(): void {
    if (--this.paused > 0 || this.controller.signal.aborted) return
    this.run()
  }

  /** Releases the timer once the check ended. */
  clear(): void {
    clearTimeout(this.timer)
  }

  private run(): void {
    this.startedAt = performance.now()
    this.timer = setTimeout(() => this.controller.abort(new Error('the check\'s time bound ran out')),
      Math.max(0, this.remainingMs))
  }
}
