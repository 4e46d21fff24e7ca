import { describe, it, expect } from 'vitest'
import { Writable } from 'node:stream'
import { stripVTControlCharacters } from 'node:util'
import type { EngineEvent } from '../engine/events.js'
import type { CheckOutcome } from '../engine/outcome.js'
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

const outcome = (id: string, status: CheckOutcome['status'], message: string, durationMs: number,
  failed: string[] = []): EngineEvent => ({
  type: 'check-end',
  outcome: {
    id, title: 'x', suite: id.split('/')[0]!, requirements: failed, status, message, durationMs,
    steps: failed.map((requirement) => ({ requirement, status: 'failed', message, passes: 0 })),
    exchanges: [], reproduction: [],
  },
})

describe('progressPrinter', () => {
  it('one line per finished check, by id; a failure names the requirement it blames, its message next', () => {
    const { print, shown } = printer()
    print({ type: 'check-start', id: 'flows/reuse', title: 'a code is redeemed once' })
    print(outcome('flows/reuse', 'passed', 'passed', 12))
    print(outcome('flows/expiry', 'skipped', 'needs a wait', 0))
    print(outcome('flows/slow-down', 'skipped', 'not judged: the machine could not keep the schedule', 0))
    print(outcome('flows/denial', 'failed', 'got 200', 40, ['OOB-S-DENIAL-ERROR']))
    print(outcome('flows/tokens', 'errored', 'no complete response within 10 s', 10_000))
    expect(shown()).toBe([
      '  ✓ flows/reuse 12 ms',
      '  - flows/expiry skipped: needs a wait',
      '  - flows/slow-down not judged: the machine could not keep the schedule',
      '  ✗ flows/denial 40 ms OOB-S-DENIAL-ERROR',
      '    got 200',
      '  ✗ flows/tokens 10000 ms error',
      '    no complete response within 10 s',
      '',
    ].join('\n'))
  })

  it('a wait says what it waits for', () => {
    const { print, shown } = printer()
    print({ type: 'wait', id: 'flows/expiry', seconds: 11, what: 'oob_code expiry (expires_in 10 s)' })
    expect(shown()).toBe('  … flows/expiry waiting 11 s: oob_code expiry (expires_in 10 s)\n')
  })
})
