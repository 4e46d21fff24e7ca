import { describe, expect, test } from 'vitest'
import type { CheckResult, Level } from '../results/model.js'
import { ConformanceFailure, verdictOf } from './verdict.js'

const levels: Record<string, Level> = { 'OOB-S-A': 'MUST', 'OOB-S-B': 'SHOULD', 'OOB-S-C': 'MUST' }
const levelFor = (id: string) => levels[id]

const base: CheckResult = {
  id: 'flows/example', title: 'an example', requirements: ['OOB-S-A', 'OOB-S-B', 'OOB-S-C'], level: 'MUST',
  status: 'passed', message: 'passed', reproduction: null, durationMs: 1,
  steps: [
    { requirement: 'OOB-S-A', status: 'passed', message: 'held', passes: 1 },
    { requirement: 'OOB-S-B', status: 'passed', message: 'held', passes: 1 },
    { requirement: 'OOB-S-C', status: 'passed', message: 'held', passes: 1 },
  ],
}

describe('verdictOf', () => {
  test('passed passes; skipped skips with the reason', () => {
    expect(verdictOf(base, levelFor)).toEqual({ kind: 'pass' })
    expect(verdictOf({ ...base, status: 'skipped', message: 'not judged: no driver' }, levelFor))
      .toEqual({ kind: 'skip', reason: 'not judged: no driver' })
  })

  test('a failure names the failed requirements with their levels, what was not reached, and the reproduction', () => {
    const failed: CheckResult = {
      ...base, status: 'failed', message: 'Cache-Control is "", expected no-store',
      reproduction: "# token → 200\ncurl 'http://127.0.0.1:1/oauth2/v1/token'",
      steps: [
        { requirement: 'OOB-S-A', status: 'failed', message: 'Cache-Control is "", expected no-store', passes: 0 },
        { requirement: 'OOB-S-B', status: 'passed', message: 'held', passes: 1 },
        { requirement: 'OOB-S-C', status: 'not-reached', message: 'not reached', passes: 0, blockedBy: 'OOB-S-A' },
      ],
    }
    const verdict = verdictOf(failed, levelFor)
    expect(verdict.kind).toBe('fail')
    expect(verdict.kind === 'fail' && verdict.message).toBe([
      'flows/example failed OOB-S-A: Cache-Control is "", expected no-store',
      '  ✗ OOB-S-A (MUST): Cache-Control is "", expected no-store',
      '  · OOB-S-C not reached (OOB-S-A failed first)',
      'reproduction:',
      '# token → 200',
      "curl 'http://127.0.0.1:1/oauth2/v1/token'",
    ].join('\n'))
  })

  test('an errored check says it could not finish', () => {
    const verdict = verdictOf({ ...base, status: 'failed', errored: true, message: 'no answer within 10 s' }, levelFor)
    expect(verdict.kind === 'fail' && verdict.message).toBe('flows/example could not finish: no answer within 10 s')
  })

  test('a warning (SHOULD not met, expected failure) carries the failed steps', () => {
    const verdict = verdictOf({
      ...base, status: 'warning', message: 'SHOULD not met: no Pragma',
      steps: [{ requirement: 'OOB-S-B', status: 'failed', message: 'no Pragma', passes: 0 }],
    }, levelFor)
    expect(verdict).toEqual({ kind: 'warn', message: 'SHOULD not met: no Pragma\n  ✗ OOB-S-B (SHOULD): no Pragma' })
  })
})

test('ConformanceFailure: the message is the whole stack', () => {
  const error = new ConformanceFailure('flows/example', 'flows/example failed OOB-S-A: why')
  expect(error.stack).toBe('ConformanceFailure: flows/example failed OOB-S-A: why')
  expect(error.check).toBe('flows/example')
})
