import { describe, it, expect } from 'vitest'
import { createRedactor, REDACTED } from '../redact/index.js'
import type { Exchange, Level } from '../results/model.js'
import { assembleCheck, reproduction, strongestLevel } from './assemble.js'
import type { RawCheck } from './vitest-run.js'

const SECRET = 'oob-confidential-secret'
const levels: Record<string, Level> = { 'OOB-S-A': 'MUST', 'OOB-S-B': 'SHOULD', 'OOB-S-C': 'MAY' }
const levelFor = (id: string) => levels[id]
const redact = createRedactor([SECRET])
const options = { profile: 'okta' as const, levelFor, redact }

function exchange(n: number, overrides: Partial<Exchange> = {}): Exchange {
  return {
    operation: 'token',
    request: {
      method: 'POST',
      url: 'https://as.example/oauth2/v1/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `oob_code=code-${n}&client_id=oob-confidential-client&client_secret=${SECRET}`,
    },
    response: { status: 400, headers: {}, body: '{"error":"authorization_pending"}' },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 3,
    ...overrides,
  }
}

function raw(state: RawCheck['state'], exchanges: Exchange[], overrides: Partial<RawCheck> = {}): RawCheck {
  return {
    name: 'flows/x — a check',
    file: '/suites/flows/x.test.ts',
    meta: {
      id: 'flows/x', title: 'a check', requirements: ['OOB-S-B', 'OOB-S-A'], exchanges, notes: [],
      reproduction: [`# seed 7; the secret was ${SECRET}`],
    },
    state,
    message: `expected 200, got 400 after sending ${SECRET}`,
    durationMs: 12,
    ...overrides,
  }
}

describe('strongestLevel', () => {
  it('is the strongest level among the requirements; unknown ids and none at all count as MUST', () => {
    expect(strongestLevel(['OOB-S-B', 'OOB-S-A'], levelFor)).toBe('MUST')
    expect(strongestLevel(['OOB-S-C', 'OOB-S-B'], levelFor)).toBe('SHOULD')
    expect(strongestLevel(['OOB-S-C'], levelFor)).toBe('MAY')
    expect(strongestLevel(['OOB-S-C', 'OOB-S-UNKNOWN'], levelFor)).toBe('MUST')
    expect(strongestLevel([], levelFor)).toBe('MUST')
  })
})

describe('reproduction', () => {
  it('extra lines first, then each exchange as a comment with its outcome and a curl command', () => {
    const control = exchange(2, {
      operation: 'control',
      request: { method: 'POST', url: 'https://as.example/control/transactions/code-1/approve', headers: {} },
      response: { status: 204, headers: {} },
    })
    const timedOut = exchange(3, { response: undefined, error: 'POST …: no complete response within 10 s' })
    const text = reproduction([exchange(1), control, timedOut], ['# fast-check seed 7, path "0:1"'])
    expect(text.split('\n').filter((l) => l.startsWith('#'))).toEqual([
      '# fast-check seed 7, path "0:1"',
      '# token → 400',
      '# control (the user\'s part, test-control API) → 204',
      '# token → POST …: no complete response within 10 s',
    ])
    expect(text).toContain("curl -X 'POST' 'https://as.example/control/transactions/code-1/approve'")
    expect(text.match(/^curl /gm)).toHaveLength(3)
  })

  it('spells out only the last 6 exchanges and says how many earlier ones report.html has', () => {
    const text = reproduction(Array.from({ length: 8 }, (_, i) => exchange(i + 1)))
    expect(text.split('\n')[0]).toBe('# 2 earlier request(s) of this check are in report.html')
    expect(text.match(/^curl /gm)).toHaveLength(6)
    expect(text).not.toContain('oob_code=code-2&')
    expect(text).toContain('oob_code=code-3&')
    expect(text).toContain('oob_code=code-8&')
  })
})

describe('assembleCheck', () => {
  it('a failure: meta id and title, strongest level, redacted message, reproduction and transcript', () => {
    const result = assembleCheck(raw('failed', [exchange(1), exchange(2)]), options)
    expect(result).toMatchObject({
      id: 'flows/x',
      title: 'a check',
      requirements: ['OOB-S-B', 'OOB-S-A'],
      level: 'MUST',
      status: 'failed',
      message: `expected 200, got 400 after sending ${REDACTED}`,
      durationMs: 12,
    })
    expect(JSON.stringify(result)).not.toContain(SECRET)
    expect(result.reproduction!.split('\n')[0]).toBe(`# seed 7; the secret was ${REDACTED}`)
    expect(result.reproduction).toContain(`client_secret=${REDACTED}`)
    expect(result.reproduction!.match(/^curl /gm)).toHaveLength(2)
    expect(result.transcript).toHaveLength(2)
    expect(result.transcript![0]!.request.body)
      .toBe(`oob_code=code-1&client_id=oob-confidential-client&client_secret=${REDACTED}`)
  })

  it('a pass or a skip has no reproduction but keeps its transcript', () => {
    const passed = assembleCheck(raw('passed', [exchange(1)], { message: 'passed' }), options)
    expect(passed).toMatchObject({ status: 'passed', message: 'passed', reproduction: null })
    expect(passed.transcript).toHaveLength(1)
    const skipped = assembleCheck(raw('skipped', [], { message: 'needs the user to approve' }), options)
    expect(skipped).toMatchObject({
      status: 'skipped', message: 'needs the user to approve', reproduction: null,
    })
  })

  it('a test without check meta (a plain vitest test in a suite) keeps its name and counts as MUST', () => {
    const stray = raw('failed', [], { meta: undefined, name: 'stray test', message: 'boom' })
    const result = assembleCheck(stray, options)
    expect(result).toMatchObject({
      id: 'stray test', title: 'stray test', requirements: [], level: 'MUST', status: 'failed',
      transcript: [],
    })
  })
})
