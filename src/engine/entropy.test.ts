import { describe, it, expect } from 'vitest'
import { randomBytes } from 'node:crypto'
import { estimateEntropy } from './entropy.js'

const sample = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i))

describe('estimateEntropy', () => {
  it('credits a 128-bit base64url code with at least 128 bits', () => {
    const estimate = estimateEntropy(sample(16, () => randomBytes(16).toString('base64url')))
    expect(estimate.alphabet.name).toBe('base64url')
    expect(estimate.varyingPositions).toBe(22)
    expect(estimate.bits).toBeGreaterThanOrEqual(128)
  })

  it('credits the reference server\'s 160-bit codes with at least 160 bits', () => {
    const estimate = estimateEntropy(sample(16, () => randomBytes(20).toString('base64url')))
    expect(estimate.bits).toBeGreaterThanOrEqual(160)
  })

  it('gives 8 hex digits behind a constant prefix 32 bits, and nothing for the prefix', () => {
    const code = () => `oob-${'0'.repeat(20)}-${randomBytes(4).toString('hex')}`
    const estimate = estimateEntropy(sample(16, code))
    expect(estimate.constantPrefix.startsWith('oob-000')).toBe(true)
    expect(estimate.alphabet).toEqual({ name: 'lower-case hex', size: 16 })
    expect(estimate.bits).toBeLessThanOrEqual(32)
    expect(estimate.summary).toContain('constant prefix "oob-0000')
  })

  it('sees through a counter: only its last digits vary', () => {
    const estimate = estimateEntropy(sample(16, (i) => `txn-${String(1000 + i).padStart(12, '0')}`))
    expect(estimate.varyingPositions).toBe(2)
    expect(estimate.bits).toBeLessThan(7)
  })

  it('ignores a constant suffix such as base64 padding', () => {
    const estimate = estimateEntropy(sample(16, () => randomBytes(16).toString('base64')))
    expect(estimate.constantSuffix).toBe('==')
    expect(estimate.varyingPositions).toBe(22)
  })

  it('caps the estimate by the birthday bound when codes repeat', () => {
    const codes = sample(16, () => randomBytes(16).toString('hex'))
    codes[3] = codes[0]!
    const estimate = estimateEntropy(codes)
    expect(estimate.distinct).toBe(15)
    expect(estimate.bits).toBe(7)
    expect(estimate.summary).toContain('codes repeat')
  })

  it('counts positions where only some codes have a character', () => {
    expect(estimateEntropy(['abc', 'abcd', 'ab']).varyingPositions).toBe(2)
  })

  it('finds nothing to count in a single sample', () => {
    expect(estimateEntropy(['only-one']).bits).toBe(0)
  })
})
