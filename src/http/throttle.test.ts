import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'
import { setTimeout as sleep } from 'node:timers/promises'
import { Throttle } from './throttle.js'

// The throttle's waits are recorded, not waited: what is checked is the spacing it asks for.
vi.mock('node:timers/promises', () => ({ setTimeout: vi.fn(async () => undefined) }))

let now = 0
beforeEach(() => {
  now = 1000
  vi.spyOn(performance, 'now').mockImplementation(() => now)
  vi.mocked(sleep).mockClear()
})
afterEach(() => {
  vi.restoreAllMocks()
})

const waits = () => vi.mocked(sleep).mock.calls.map(([ms]) => ms)

describe('Throttle', () => {
  it('the first request goes at once; concurrent ones get evenly spaced slots', async () => {
    const throttle = new Throttle(4)
    await Promise.all([throttle.take(), throttle.take(), throttle.take(), throttle.take()])
    expect(waits()).toEqual([250, 500, 750])
  })

  it('a caller arriving after its slot does not wait, and the next slot counts from it', async () => {
    const throttle = new Throttle(2)
    await throttle.take()
    now += 2000
    await throttle.take()
    now += 100
    await throttle.take()
    expect(waits()).toEqual([400])
  })

  it('fractional rates space requests more than a second apart', async () => {
    const throttle = new Throttle(0.5)
    await throttle.take()
    await throttle.take()
    expect(waits()).toEqual([2000])
  })
})
