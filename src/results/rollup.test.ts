import { describe, it, expect } from 'vitest'
import { isOobConformanceError } from '../errors.js'
import type { CheckResult, StepResult } from './model.js'
import { exitCode, rollUp, runVerdict, type CatalogueEntry } from './rollup.js'

const catalogue: CatalogueEntry[] = [
  { id: 'OOB-S-POLL-PENDING', level: 'MUST', title: 'Pending polls get authorization_pending' },
  { id: 'OOB-S-FIRST-POLL', level: 'SHOULD', title: 'The first poll is not penalised' },
  { id: 'OOB-S-SLOW-DOWN', level: 'MAY', title: 'Too-fast polls may get slow_down' },
  { id: 'OOB-S-OTP-VERIFY', level: 'MUST', title: 'Only the delivered OTP yields tokens' },
  { id: 'OOB-S-RATE-LIMIT', level: 'SHOULD', title: 'Endpoints answer 429 when rate-limited' },
  { id: 'OOB-C-INTERVAL', level: 'MUST', title: 'The client waits interval seconds' },
]

function check(id: string, status: CheckResult['status'], requirements: string[],
  level: CheckResult['level'] = 'MUST'): CheckResult {
  return { id, title: id, requirements, level, status, message: `${status} because`, reproduction: null,
    durationMs: 1 }
}

const server = { strict: false, side: 'OOB-S-' } as const

describe('rollUp', () => {
  it('gives a requirement the worst status of its checks, skipped only when all were skipped', () => {
    const { requirements } = rollUp([
      check('flows/a', 'passed', ['OOB-S-POLL-PENDING']),
      check('flows/b', 'failed', ['OOB-S-POLL-PENDING', 'OOB-S-OTP-VERIFY']),
      check('flows/c', 'skipped', ['OOB-S-OTP-VERIFY']),
      check('flows/d', 'skipped', ['OOB-S-SLOW-DOWN'], 'MAY'),
      check('flows/e', 'passed', ['OOB-S-FIRST-POLL'], 'SHOULD'),
      check('flows/f', 'skipped', ['OOB-S-FIRST-POLL'], 'SHOULD'),
    ], catalogue, server)
    expect(requirements.map((r) => [r.id, r.status, r.checks])).toEqual([
      ['OOB-S-POLL-PENDING', 'failed', ['flows/a', 'flows/b']],
      ['OOB-S-FIRST-POLL', 'passed', ['flows/e', 'flows/f']],
      ['OOB-S-SLOW-DOWN', 'skipped', ['flows/d']],
      ['OOB-S-OTP-VERIFY', 'failed', ['flows/b', 'flows/c']],
      ['OOB-S-RATE-LIMIT', 'untested', []],
    ])
  })

  it('lists only the run side, untested ones included, with level and title from the catalogue', () => {
    const client = rollUp([check('client/interval', 'passed', ['OOB-C-INTERVAL'])], catalogue,
      { strict: false, side: 'OOB-C-' })
    expect(client.requirements).toEqual([{ id: 'OOB-C-INTERVAL', level: 'MUST', status: 'passed',
      checks: ['client/interval'], title: 'The client waits interval seconds', passes: 1 }])
    expect(rollUp([], catalogue, server).requirements.every((r) => r.status === 'untested')).toBe(true)
  })

  it('turns a failed SHOULD or MAY check into a warning, and its requirement too', () => {
    const { checks, requirements, summary } = rollUp([
      check('flows/first-poll', 'failed', ['OOB-S-FIRST-POLL'], 'SHOULD'),
      check('flows/slow-down', 'failed', ['OOB-S-SLOW-DOWN'], 'MAY'),
      check('flows/pending', 'failed', ['OOB-S-POLL-PENDING']),
    ], catalogue, server)
    expect(checks.map((c) => c.status)).toEqual(['warning', 'warning', 'failed'])
    expect(checks.map((c) => c.message)).toEqual(['SHOULD not met: failed because',
      'optional (MAY) behaviour off: failed because', 'failed because'])
    expect(requirements.slice(0, 3).map((r) => r.status)).toEqual(['failed', 'warning', 'warning'])
    expect(summary).toEqual({ passed: 0, failed: 1, warnings: 2, skipped: 0 })
  })

  it('keeps a check failed when it also covers a MUST (its level is the strongest)', () => {
    const both = check('flows/x', 'failed', ['OOB-S-FIRST-POLL', 'OOB-S-POLL-PENDING'], 'MUST')
    const { checks } = rollUp([both], catalogue, server)
    expect(checks[0]!.status).toBe('failed')
  })

  it('keeps SHOULD failures failed under strict', () => {
    const failed = check('flows/first-poll', 'failed', ['OOB-S-FIRST-POLL'], 'SHOULD')
    const { checks, requirements, summary } = rollUp([failed], catalogue, { ...server, strict: true })
    expect(checks[0]!.status).toBe('failed')
    expect(requirements[1]!.status).toBe('failed')
    expect(summary.failed).toBe(1)
  })

  it('rejects a check naming a requirement the catalogue lacks', () => {
    let error: unknown
    try {
      rollUp([check('flows/typo', 'passed', ['OOB-S-POLL-PENDNG'])], catalogue, server)
    } catch (e) {
      error = e
    }
    expect(isOobConformanceError(error, 'ERR_SPEC_INVALID')).toBe(true)
    expect((error as Error).message).toBe(
      'check flows/typo names requirement(s) missing from the catalogue: OOB-S-POLL-PENDNG')
  })
})

describe('exitCode', () => {
  const warning = check('flows/w', 'warning', ['OOB-S-FIRST-POLL'], 'SHOULD')
  const expected = { ...check('flows/e', 'warning', ['OOB-S-POLL-PENDING']),
    expectedFailure: { reason: 'known' } }

  it('is 1 iff a check failed', () => {
    const failed = check('a/b', 'failed', [])
    expect(exitCode({ checks: [check('a/a', 'passed', []), failed] }, { strict: false })).toBe(1)
    expect(exitCode({ checks: [check('a/a', 'passed', []), warning, expected] }, { strict: false })).toBe(0)
    expect(exitCode({ checks: [] }, { strict: false })).toBe(0)
  })

  it('counts warnings under strict, except those from expected failures', () => {
    expect(exitCode({ checks: [warning] }, { strict: true })).toBe(1)
    expect(exitCode({ checks: [expected, check('a/s', 'skipped', [])] }, { strict: true })).toBe(0)
  })
})

/** A check with per-step verdicts, as the engine reports one. */
function stepped(id: string, status: CheckResult['status'], steps: [string, StepResult['status'], string?][],
  extra: Partial<CheckResult> = {}): CheckResult {
  return {
    ...check(id, status, steps.map(([requirement]) => requirement)),
    steps: steps.map(([requirement, s, blockedBy]) => ({
      requirement, status: s, message: `${s} here`, passes: s === 'passed' ? 1 : 0,
      ...(blockedBy !== undefined && { blockedBy }),
    })),
    ...extra,
  }
}

describe('rollUp from steps (evidence or nothing)', () => {
  it('passes a requirement only when a step evaluated it; a listed one without a step is skipped with the reason', () => {
    const { requirements } = rollUp([
      stepped('flows/a', 'passed', [['OOB-S-POLL-PENDING', 'passed'], ['OOB-S-OTP-VERIFY', 'not-judged']]),
    ], catalogue, server)
    const status = Object.fromEntries(requirements.map((r) => [r.id, [r.status, r.reason]]))
    expect(status['OOB-S-POLL-PENDING']).toEqual(['passed', undefined])
    expect(status['OOB-S-OTP-VERIFY']).toEqual(['skipped', 'flows/a: not-judged here'])
    expect(status['OOB-S-RATE-LIMIT']).toEqual(['untested', undefined])
  })

  it('blames only the requirement whose step broke; the ones after it are not reached, neither passed nor failed', () => {
    const { requirements, checks } = rollUp([
      stepped('flows/b', 'failed', [['OOB-S-POLL-PENDING', 'failed'], ['OOB-S-OTP-VERIFY', 'not-reached', 'OOB-S-POLL-PENDING']]),
    ], catalogue, server)
    const byId = new Map(requirements.map((r) => [r.id, r]))
    expect(byId.get('OOB-S-POLL-PENDING')).toMatchObject({ status: 'failed', reason: 'flows/b: failed here' })
    expect(byId.get('OOB-S-OTP-VERIFY')).toMatchObject({ status: 'skipped',
      reason: 'not reached: OOB-S-POLL-PENDING failed first in flows/b' })
    expect(checks[0]).toMatchObject({ status: 'failed', level: 'MUST' })
  })

  it('grades a check by the levels of its failed steps: a SHOULD failure in a check that also lists a MUST is a warning', () => {
    const { checks, requirements } = rollUp([
      stepped('flows/c', 'failed', [['OOB-S-POLL-PENDING', 'passed'], ['OOB-S-FIRST-POLL', 'failed']]),
    ], catalogue, server)
    expect(checks[0]).toMatchObject({ status: 'warning', level: 'SHOULD' })
    expect(requirements.find((r) => r.id === 'OOB-S-FIRST-POLL')?.status).toBe('warning')
    expect(rollUp([stepped('flows/c', 'failed', [['OOB-S-FIRST-POLL', 'failed']])], catalogue,
      { ...server, strict: true }).checks[0]!.status).toBe('failed')
  })

  it('keeps an errored check failed although it blames no requirement', () => {
    const { checks, requirements } = rollUp([
      stepped('flows/d', 'failed', [['OOB-S-POLL-PENDING', 'not-judged']], { errored: true }),
    ], catalogue, server)
    expect(checks[0]!.status).toBe('failed')
    expect(requirements.find((r) => r.id === 'OOB-S-POLL-PENDING')?.status).toBe('skipped')
  })

  it('a MAY not offered is skipped with the reason, never a warning: a permission is not a defect', () => {
    const { checks, requirements } = rollUp([
      stepped('flows/slow-down', 'failed', [['OOB-S-SLOW-DOWN', 'failed']]),
    ], catalogue, { ...server, strict: true })
    expect(checks[0]).toMatchObject({ status: 'skipped', message: 'optional (MAY) behaviour not offered: failed because' })
    expect(requirements.find((r) => r.id === 'OOB-S-SLOW-DOWN')).toMatchObject({ status: 'skipped',
      reason: 'optional (MAY), not offered: flows/slow-down: failed here' })
  })

  it('counts the passes of every step, across checks', () => {
    const { requirements } = rollUp([
      stepped('flows/e', 'passed', [['OOB-S-POLL-PENDING', 'passed']]),
      stepped('flows/f', 'passed', [['OOB-S-POLL-PENDING', 'passed']]),
    ], catalogue, server)
    expect(requirements.find((r) => r.id === 'OOB-S-POLL-PENDING')).toMatchObject({ passes: 2,
      checks: ['flows/e', 'flows/f'] })
  })
})

describe('runVerdict and completeness', () => {
  it('is incomplete when a MUST the checks set out to judge was not exercised, and names it with the reason', () => {
    const rolled = rollUp([
      stepped('flows/a', 'passed', [['OOB-S-POLL-PENDING', 'passed']]),
      stepped('flows/expiry', 'skipped', [['OOB-S-OTP-VERIFY', 'skipped']]),
    ], catalogue, server)
    expect(rolled.completeness).toEqual({ mustInScope: 2, mustExercised: 1,
      notExercised: [{ id: 'OOB-S-OTP-VERIFY', reason: 'flows/expiry: skipped here' }] })
    expect(runVerdict(rolled, { strict: false })).toBe('incomplete')
    expect(exitCode({ checks: rolled.checks, verdict: 'incomplete' }, { strict: false })).toBe(0)
    expect(exitCode({ checks: rolled.checks, verdict: 'incomplete' }, { strict: false, requireComplete: true })).toBe(1)
  })

  it('is passed when every in-scope MUST was exercised (untested SHOULDs and requirements no check lists do not count)', () => {
    const rolled = rollUp([stepped('flows/a', 'passed', [['OOB-S-POLL-PENDING', 'passed']])], catalogue, server)
    expect(runVerdict(rolled, { strict: false })).toBe('passed')
  })

  it('is failed when a MUST failed, whatever else was not exercised', () => {
    const rolled = rollUp([
      stepped('flows/a', 'failed', [['OOB-S-POLL-PENDING', 'failed'], ['OOB-S-OTP-VERIFY', 'not-reached', 'OOB-S-POLL-PENDING']]),
    ], catalogue, server)
    expect(runVerdict(rolled, { strict: false })).toBe('failed')
  })
})
