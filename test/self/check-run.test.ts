import { describe, it, expect } from 'vitest'
import { concurrencyLimit } from './check-run.js'

describe('concurrencyLimit', () => {
  it('runs at most `limit` tasks at once, the others in order, and returns their results', async () => {
    const gate = concurrencyLimit(2)
    const started: number[] = []
    const finish: (() => void)[] = []
    const results = Array.from({ length: 5 }, (_, i) => gate(async () => {
      started.push(i)
      await new Promise<void>((resolve) => finish.push(resolve))
      return i * 10
    }))
    const settle = () => new Promise((resolve) => setImmediate(resolve))
    await settle()
    expect(started).toEqual([0, 1])
    finish.shift()!()
    await settle()
    expect(started).toEqual([0, 1, 2])
    while (finish.length > 0) {
      finish.shift()!()
      await settle()
    }
    expect(started).toEqual([0, 1, 2, 3, 4])
    expect(await Promise.all(results)).toEqual([0, 10, 20, 30, 40])
  })

  it('frees the slot of a task that fails', async () => {
    const gate = concurrencyLimit(1)
    await expect(gate(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await gate(async () => 'next')).toBe('next')
  })
})
