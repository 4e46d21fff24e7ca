import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, expect } from 'vitest'
import { OobConformanceError } from '../errors.js'
import { applyExpectedFailures, loadExpectedFailures, parseExpectedFailures } from './expected-failures.js'
import type { CheckResult } from './model.js'

function check(id: string, status: CheckResult['status'], requirements: string[]): CheckResult {
  return { id, title: id, requirements, level: 'MUST', status, message: 'got 200, expected 400',
    reproduction: "curl 'https://auth.example.test/oauth2/v1/token'", durationMs: 3 }
}

function configError(run: () => unknown): OobConformanceError {
  try {
    run()
  } catch (e) {
    if (e instanceof OobConformanceError && e.code === 'ERR_CONFIG_INVALID') return e
    throw e
  }
  throw new Error('expected ERR_CONFIG_INVALID')
}

describe('parseExpectedFailures', () => {
  it('reads YAML and JSON lists', () => {
    const yaml = [
      '- check: flows/push-pending',
      '  reason: pending not implemented yet',
      '  expires: 2025-09-30',
      '- requirement: OOB-S-CODE-ENTROPY',
      '  reason: legacy generator',
    ].join('\n')
    expect(parseExpectedFailures(yaml, 'x.yaml')).toEqual([
      { check: 'flows/push-pending', reason: 'pending not implemented yet', expires: '2025-09-30' },
      { requirement: 'OOB-S-CODE-ENTROPY', reason: 'legacy generator' },
    ])
    expect(parseExpectedFailures('[{"check": "schema/error-shape", "reason": "r"}]', 'x.json'))
      .toEqual([{ check: 'schema/error-shape', reason: 'r' }])
    expect(parseExpectedFailures('', 'empty.yaml')).toEqual([])
  })

  it('names each bad entry and what is wrong with it', () => {
    const text = JSON.stringify([
      { check: 'flows/ok', reason: 'fine' },
      { check: 'flows/a', requirement: 'OOB-S-X', reason: 'both' },
      { reason: 'neither' },
      { check: 'no-slash', reason: 'r', expires: '2025-02-30' },
      { requirement: 'S18', chek: 'typo' },
    ])
    const { message } = configError(() => parseExpectedFailures(text, 'ef.json'))
    expect(message).toBe('--expected-failures ef.json: ' +
      'entry 1: give exactly one of "check" or "requirement"; ' +
      'entry 2: give exactly one of "check" or "requirement"; ' +
      'entry 3: check "no-slash" is not a check id like flows/push-happy-path; ' +
      'entry 3: expires "2025-02-30" is not a date YYYY-MM-DD; ' +
      'entry 4: "reason" is required; ' +
      'entry 4: unknown key "chek"; ' +
      'entry 4: requirement "S18" is not a requirement id like OOB-S-POLL-PENDING')
  })

  it('rejects a file that is not a list, or not YAML', () => {
    expect(configError(() => parseExpectedFailures('check: flows/a', 'ef.yaml')).message)
      .toBe('--expected-failures ef.yaml: the file must be a list')
    expect(configError(() => parseExpectedFailures('- [unclosed', 'ef.yaml')).message)
      .toBe('--expected-failures ef.yaml:1:12: not valid YAML or JSON: Flow sequence in block collection must be ' +
        'sufficiently indented and end with a ]: "- [unclosed"')
  })
})

describe('loadExpectedFailures', () => {
  it('loads a file, and says when it cannot read one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oob-ef-'))
    const path = join(dir, 'expected-failures.yaml')
    await writeFile(path, '- check: flows/a\n  reason: r\n')
    expect(await loadExpectedFailures(path)).toEqual([{ check: 'flows/a', reason: 'r' }])
    const missing = join(dir, 'missing.yaml')
    await expect(loadExpectedFailures(missing)).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID', message: `--expected-failures ${missing}: cannot read the file (ENOENT)`,
    })
  })
})

describe('applyExpectedFailures', () => {
  const checks = [
    check('flows/push-pending', 'failed', ['OOB-S-POLL-PENDING']),
    check('properties/oob-code-entropy', 'failed', ['OOB-S-CODE-ENTROPY']),
    check('flows/push-happy-path', 'passed', ['OOB-S-POLL-APPROVED']),
    check('flows/sms-otp', 'skipped', ['OOB-S-OTP-VERIFY']),
    check('schema/error-shape', 'failed', ['OOB-S-ERROR-SHAPE']),
  ]

  it('turns a failure matched by check id or by requirement into a warning carrying the reason', () => {
    const { checks: out, notices } = applyExpectedFailures(checks, [
      { check: 'flows/push-pending', reason: 'pending not implemented', expires: '2025-06-30' },
      { requirement: 'OOB-S-CODE-ENTROPY', reason: 'legacy generator' },
    ], '2025-06-30')
    expect(out[0]).toEqual({ ...checks[0], status: 'warning',
      message: 'expected failure: got 200, expected 400',
      expectedFailure: { reason: 'pending not implemented', expires: '2025-06-30' } })
    expect(out[1]).toMatchObject({ status: 'warning', expectedFailure: { reason: 'legacy generator' } })
    expect(out.slice(2)).toEqual(checks.slice(2))
    expect(notices).toEqual([])
  })

  it('stops applying an entry after its expiry day and says so', () => {
    const entry = { check: 'flows/push-pending', reason: 'r', expires: '2025-06-30' }
    const { checks: out, notices } = applyExpectedFailures(checks, [entry], new Date('2025-07-01T00:00:00Z'))
    expect(out[0]!.status).toBe('failed')
    expect(notices).toEqual([{ kind: 'expired', index: 0, entry, message:
      'expected failure for check flows/push-pending expired on 2025-06-30; its failures count again' }])
  })

  it('reports entries that match no failure: now passing, or not run at all', () => {
    const entries = [
      { check: 'flows/push-happy-path', reason: 'was broken' },
      { requirement: 'OOB-S-OTP-VERIFY', reason: 'only skipped here' },
      { check: 'flows/renamed-long-ago', reason: 'typo' },
      { requirement: 'OOB-S-ERROR-SHAPE', reason: 'applies' },
    ]
    const { notices } = applyExpectedFailures(checks, entries, '2025-01-01')
    expect(notices.map(({ kind, index, message }) => [kind, index, message])).toEqual([
      ['now-passing', 0, 'check flows/push-happy-path no longer fails: remove its expected-failure entry'],
      ['not-run', 1, 'expected failure for requirement OOB-S-OTP-VERIFY matched no check in this run'],
      ['not-run', 2, 'expected failure for check flows/renamed-long-ago matched no check in this run'],
    ])
  })
})

describe('applyExpectedFailures with per-step verdicts', () => {
  const stepped: CheckResult = {
    ...check('flows/push-happy-path', 'failed', ['OOB-S-POLL-PENDING', 'OOB-S-TOKENS-AFTER-APPROVAL']),
    steps: [
      { requirement: 'OOB-S-POLL-PENDING', status: 'failed', message: 'got 200', passes: 0 },
      { requirement: 'OOB-S-TOKENS-AFTER-APPROVAL', status: 'not-reached', message: 'not reached',
        passes: 0, blockedBy: 'OOB-S-POLL-PENDING' },
    ],
  }

  it('an entry for a requirement covers that requirement\'s failed steps only, and the check becomes a warning', () => {
    const { checks, notices } = applyExpectedFailures([stepped],
      [{ requirement: 'OOB-S-POLL-PENDING', reason: 'pending not implemented' }], '2026-01-01')
    expect(checks[0]).toMatchObject({ status: 'warning', expectedFailure: { reason: 'pending not implemented' } })
    expect(checks[0]!.steps![0]).toMatchObject({ status: 'failed', expectedFailure: { reason: 'pending not implemented' } })
    expect(notices).toEqual([])
  })

  it('an entry for another requirement of the same check hides nothing', () => {
    const { checks, notices } = applyExpectedFailures([stepped],
      [{ requirement: 'OOB-S-TOKENS-AFTER-APPROVAL', reason: 'known' }], '2026-01-01')
    expect(checks[0]!.status).toBe('failed')
    expect(checks[0]!.steps!.every((s) => s.expectedFailure === undefined)).toBe(true)
    expect(notices.map((n) => n.kind)).toEqual(['not-run'])
  })
})
