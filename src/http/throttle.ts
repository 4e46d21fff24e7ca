import { setTimeout as sleep } from 'node:timers/promises'

/** Spaces requests evenly at `perSecond` (`--rate-limit`): each caller waits for its own slot. */
export class Throttle {
  private next = 0

  constructor(private readonly perSecond: number) {}

  async take(): Promise<void> {
    const now = performance.now()
    const slot = Math.max(now, this.next)
    this.next = slot + 1000 / this.perSecond
    if (slot > now) await sleep(slot - now)
  }
}
