/**
 * One 429 policy for a whole run (DESIGN.md: a 429 is never by itself a failure). When any request is told to
 * wait (`Retry-After`, `X-Rate-Limit-Reset`), every request of the run waits until then, rather than each check
 * discovering the limit on its own and making it worse.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises'

export class RateLimitPolicy {
  private until = 0
  /** How many times the run was paused, and for how long in all: for the report. */
  pauses = 0
  pausedMs = 0

  /** Resolves once the run may send again (at once when no 429 asked it to wait). */
  async ready(signal?: AbortSignal): Promise<void> {
    const ms = this.until - Date.now()
    if (ms > 0) await sleep(ms, undefined, { signal })
  }

  /** A 429 asked to wait `ms`: pause the run until then (a later deadline wins). */
  pause(ms: number): void {
    const until = Date.now() + ms
    if (until <= this.until) return
    this.pauses++
    this.pausedMs += until - Math.max(this.until, Date.now())
    this.until = until
  }
}
