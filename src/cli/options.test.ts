import { describe, it, expect } from 'vitest'
import { integerOption } from './options.js'

describe('integerOption', () => {
  it('reads a whole number at or above the minimum', () => {
    expect(integerOption('--port', '0', 0)).toBe(0)
    expect(integerOption('--interval', '5', 1)).toBe(5)
    expect(integerOption('--expires-in', ' 300 ', 1)).toBe(300)
  })

  it('a number below the minimum', () => {
    expect(() => integerOption('--interval', '0', 1)).toThrow('--interval "0" must be a whole number ≥ 1')
  })

  it.each(['abc', '1.5', '-1', '', '0x10', '1e3'])('"%s" → ERR_USAGE naming the option', (value) => {
    expect(() => integerOption('--port', value, 0)).toThrow(expect.objectContaining({
      code: 'ERR_USAGE', message: `--port "${value}" must be a whole number ≥ 0`,
    }))
  })
})
