/**
 * A realistic run (push, SMS, a MUST failure, a SHOULD warning, an expected failure, a skip, an untested
 * requirement), assembled the way the runner assembles one. The reporter tests use it; it is also the
 * quickest way to preview a layout: `writeReports('reports/sample', sampleRun())`.
 * @module
 */
import { createRedactor, redactExchange } from '../redact/index.js'
import { toCurl } from './curl.js'
import { applyExpectedFailures } from './expected-failures.js'
import type { CheckResult, Exchange, RunResults } from './model.js'
import { rollUp, runVerdict, type CatalogueEntry } from './rollup.js'

const base = 'https://auth.example.test'
const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
const json = { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' }
const basic = `Basic ${Buffer.from('oob-confidential-client:oob-confidential-secret').toString('base64')}`

export const sampleCatalogue: CatalogueEntry[] = [
  { id: 'OOB-S-INIT-OK', level: 'MUST', title: 'Initiation returns oob_code, expires_in, channel, binding' },
  { id: 'OOB-S-POLL-PENDING', level: 'MUST', title: 'Polls before the user acts get authorization_pending' },
  { id: 'OOB-S-POLL-APPROVED', level: 'MUST', title: 'After approval the next poll returns tokens' },
  { id: 'OOB-S-FIRST-POLL', level: 'SHOULD', title: 'A first poll right after initiation is not penalised' },
  { id: 'OOB-S-CODE-ENTROPY', level: 'MUST', title: 'oob_code carries at least 128 bits of entropy' },
  { id: 'OOB-S-OTP-VERIFY', level: 'MUST', title: 'Tokens only for the binding_code that was delivered' },
  { id: 'OOB-S-ERROR-SHAPE', level: 'MUST', title: 'Errors are JSON with an ASCII error code' },
  { id: 'OOB-S-RATE-LIMIT', level: 'SHOULD', title: 'Endpoints rate-limit and answer 429' },
  { id: 'OOB-C-INTERVAL', level: 'MUST', title: 'The client waits at least interval seconds between polls' },
]

function exchange(path: string, body: string, status: number, response: object, at: number): Exchange {
  return {
    request: { method: 'POST', url: base + path, headers: { ...form, authorization: basic }, body },
    response: { status, headers: json, body: JSON.stringify(response) },
    startedAt: new Date(Date.UTC(2025, 5, 2, 9, 30, at)).toISOString(),
    durationMs: 42 + at,
  }
}

export function sampleRun(): RunResults {
  const redact = createRedactor(['oob-confidential-secret'])
  const grant = encodeURIComponent('urn:okta:params:oauth:grant-type:oob')
  const started = { oob_code: 'ftpuF1hY4KyUtTYKsYoS', expires_in: 300, interval: 5, channel: 'push',
    binding_method: 'none' }
  const initiate = exchange('/oauth2/v1/primary-authenticate',
    `login_hint=push%40example.test&channel_hint=push&challenge_hint=${grant}`, 200, started, 0)
  const poll = (status: number, response: object, at: number) => exchange('/oauth2/v1/token',
    `grant_type=${grant}&oob_code=ftpuF1hY4KyUtTYKsYoS`, status, response, at)
  const tokens = poll(200, { token_type: 'Bearer', expires_in: 3600, scope: 'openid',
    access_token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig', id_token: 'eyJhbGciOiJSUzI1NiJ9.e30.idsig' }, 5)
  const early = poll(400, { error: 'slow_down', error_description: 'Polling too fast.' }, 1)
  const badError = poll(400, { error: 'bad "error" <script>alert(1)</script> & more' }, 9)

  const check = (c: Omit<CheckResult, 'reproduction' | 'transcript'>, failing: Exchange[] = [],
    transcript: Exchange[] = failing): CheckResult => {
    const safe = transcript.map((e) => redactExchange(e, redact))
    const repro = failing.map((e) => toCurl(redactExchange(e, redact).request)).join('\n\n')
    const shown = { ...c, reproduction: repro === '' ? null : repro }
    return safe.length > 0 ? { ...shown, transcript: safe } : shown
  }
  const checks: CheckResult[] = [
    check({ id: 'flows/push-happy-path', title: 'Push approved: the next poll returns tokens',
      requirements: ['OOB-S-INIT-OK', 'OOB-S-POLL-APPROVED'], level: 'MUST', status: 'passed',
      message: 'tokens issued after approval', durationMs: 5120 }, [], [initiate, tokens]),
    check({ id: 'flows/push-pending', title: 'Push pending: polls get authorization_pending',
      requirements: ['OOB-S-POLL-PENDING'], level: 'MUST', status: 'failed',
      message: 'expected 400 authorization_pending before approval, got 200 with tokens', durationMs: 830 },
    [initiate, tokens]),
    check({ id: 'flows/first-poll-immediate', title: 'An immediate first poll is not answered with slow_down',
      requirements: ['OOB-S-FIRST-POLL'], level: 'SHOULD', status: 'failed',
      message: 'the first poll, 0.1 s after initiation, got 400 slow_down', durationMs: 310 },
    [initiate, early]),
    check({ id: 'properties/oob-code-entropy', title: 'oob_code values do not repeat or follow a pattern',
      requirements: ['OOB-S-CODE-ENTROPY'], level: 'MUST', status: 'failed',
      message: 'estimated 96 bits of entropy over 200 codes (needs 128)\nseed 1234, path "0:1"',
      durationMs: 2400 },
    [initiate]),
    check({ id: 'flows/sms-otp-wrong-code', title: 'A wrong OTP is rejected with invalid_grant',
      requirements: ['OOB-S-OTP-VERIFY'], level: 'MUST', status: 'skipped',
      message: 'the driver cannot read the OTP that was sent (no getOtp operation)', durationMs: 0 }),
    check({ id: 'schema/token-error-shape', title: 'Token errors match the OAuthError schema',
      requirements: ['OOB-S-ERROR-SHAPE'], level: 'MUST', status: 'failed',
      message: 'error "bad \\"error\\" <script>alert(1)</script> & more" has characters outside %x20-7E',
      durationMs: 95 }, [badError]),
  ]
  const expected = applyExpectedFailures(checks, [
    { check: 'properties/oob-code-entropy', reason: 'legacy code generator, replaced in Q3',
      expires: '2099-12-31' },
  ], '2025-06-02')
  const rolled = rollUp(expected.checks, sampleCatalogue, { strict: false, side: 'OOB-S-' })
  const { checks: graded, requirements, summary, completeness } = rolled
  return {
    tool: { name: 'oob-conformance', version: '0.1.0' },
    target: base,
    profile: 'okta',
    seed: 1234,
    startedAt: '2025-06-02T09:30:00.000Z',
    durationMs: 12_480,
    verdict: runVerdict(rolled, { strict: false }),
    summary,
    checks: graded,
    requirements,
    completeness,
  }
}
