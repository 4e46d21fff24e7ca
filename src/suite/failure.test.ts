import { describe, it, expect } from 'vitest'
import { CheckFailure, assert, fail } from './failure.js'

describe('fail and assert', () => {
  it('fail throws a CheckFailure whose message is the verdict', () => {
    expect(() => fail('expected 400, got 200')).toThrow(new CheckFailure('expected 400, got 200'))
    expect(() => fail('x')).toThrow(expect.objectContaining({ name: 'CheckFailure' }))
  })

  it('assert passes on a truthy condition without building a lazy message', () => {
    let built = false
    assert(1, () => {
      built = true
      return 'never'
    })
    expect(built).toBe(false)
  })

  it('assert fails with the message, or the lazy message', () => {
    expect(() => assert('', 'no oob_code')).toThrow(new CheckFailure('no oob_code'))
    expect(() => assert(undefined, () => 'built late')).toThrow(new CheckFailure('built late'))
  })
})
