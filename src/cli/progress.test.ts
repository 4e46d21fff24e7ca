import { describe, it, expect } from 'vitest'
import { Writable } from 'node:stream'
import { stripVTControlCharacters } from 'node:util'
import { progressPrinter } from './progress.js'

function printer() {
  let text = ''
  const out = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk)
      done()
    },
  })
  return { print: progressPrinter(out), shown: () => stripVTControlCharacters(text) }
}

describe('progressPrinter', () => {
  it('one line per finished check, by id; a failure\'s message on the next line; starts are silent', () => {
    const { print, shown } = printer()
    const reuse = 'flows/reuse — a code is redeemed once'
    print({ kind: 'start', name: reuse })
    print({ kind: 'end', name: reuse, state: 'passed', message: 'passed', durationMs: 12 })
    print({ kind: 'end', name: 'flows/expiry — x', state: 'skipped', message: 'needs a wait', durationMs: 0 })
    print({ kind: 'end', name: 'flows/denial — x', state: 'failed', message: 'got 200', durationMs: 40 })
    expect(shown()).toBe([
      '  ✓ flows/reuse 12 ms',
      '  - flows/expiry skipped: needs a wait',
      '  ✗ flows/denial 40 ms',
      '    got 200',
      '',
    ].join('\n'))
  })

  it('a wait says what it waits for', () => {
    const { print, shown } = printer()
    const message = 'waiting 11 s: oob_code expiry (expires_in 10 s)'
    print({ kind: 'wait', name: 'flows/expiry — an expired oob_code is refused', message })
    expect(shown()).toBe('  … flows/expiry waiting 11 s: oob_code expiry (expires_in 10 s)\n')
  })
})
