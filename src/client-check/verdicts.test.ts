import { describe, it, expect } from 'vitest'
import { FORM_MEDIA_TYPE, OOB_CHALLENGE_HINT, OOB_GRANT_TYPE } from '../protocol/index.js'
import type { ClientOutcome } from './launch.js'
import type { Answered, MockTransaction, RecordedRequest } from './mock-server.js'
import { SCENARIOS } from './scenarios.js'
import { scenarioVerdicts, TOLERANCE, type ScenarioRun, type Verdict } from './verdicts.js'
import { wireVerdicts } from './wire.js'

const CODE = 'code.-_1'
const ACCESS_TOKEN = 'at-Zm9vYmFy'
const CLIENT = 'oob-public-client'
const TOKEN_FORM = { client_id: CLIENT, grant_type: OOB_GRANT_TYPE, oob_code: CODE, scope: 'openid profile' }
const START_FORM =
  { client_id: CLIENT, login_hint: 'zoë+push@example.test', channel_hint: 'push', challenge_hint: OOB_CHALLENGE_HINT }
const FORM_HEADERS = { 'content-type': FORM_MEDIA_TYPE, accept: 'application/json' }

/** One request as the scripted server records it, reduced to what a test varies. */
interface Shape {
  at: number
  answer?: Answered['kind']
  params?: Record<string, string>
  endpoint?: RecordedRequest['endpoint']
  headers?: Record<string, string>
  /** The raw body, when the test is about its encoding. */
  body?: string
  heldMs?: number
  abandonedAt?: number
  earliest?: number
  /** How long the client waited for a CPU since the previous request (`clientStallMs`). */
  stall?: number
  retryAt?: number
  url?: string
}

const FINAL: readonly string[] = ['tokens', 'denied', 'expired', 'error', 'code-required']

function recorded(shape: Shape): RecordedRequest {
  const { at, answer = 'pending', endpoint = 'token', retryAt, heldMs, abandonedAt } = shape
  const form = shape.params ?? (endpoint === 'token' ? TOKEN_FORM : START_FORM)
  const token = endpoint === 'token'
  return {
    arrivedAt: at, earliestArrival: shape.earliest ?? at, clientStallMs: shape.stall ?? 0, answeredAt: at + 1,
    method: 'POST',
    url: shape.url ?? `/oauth2/v1/${endpoint}`, endpoint,
    headers: { ...FORM_HEADERS, ...shape.headers },
    body: shape.body ?? new URLSearchParams(form).toString(), validUtf8: true, params: Object.entries(form),
    oobCode: 'oob_code' in form ? form.oob_code : CODE,
    answer: {
      kind: token ? answer : 'initiation', final: token && FINAL.includes(answer),
      ...(answer === 'tokens' && { status: 200 }), ...(retryAt !== undefined && { retryAt }),
      ...(heldMs !== undefined && { heldMs }), ...(abandonedAt !== undefined && { abandonedAt }),
    },
    exchange: { request: { method: 'POST', url: 'http://x', headers: {} }, startedAt: '', durationMs: 1 },
  }
}

/** A run of scenario `name` whose client sent the initiation at 0 ms and then `polls`. */
function runOf(name: string, polls: Shape[], outcome: Partial<ClientOutcome> = {}): ScenarioRun {
  const scenario = SCENARIOS.find((s) => s.name === name)!
  const requests = [recorded({ at: 0, endpoint: 'primary-authenticate' }), ...polls.map(recorded)]
  const final = requests.find((r) => r.answer.final)
  const tx: MockTransaction = {
    oobCode: CODE, bindingMethod: scenario.start.bindingMethod, issuedAt: 1,
    expiresAt: 1 + scenario.start.expiresIn * 1000, answered: polls.length,
    ...(final !== undefined && { finished: { at: final.arrivedAt + 0.5, reply: undefined as never } }),
    ...(final?.answer.kind === 'tokens' && { tokens: { accessToken: ACCESS_TOKEN, tokenType: 'Bearer' } }),
  }
  return {
    scenario, profile: 'okta', requests, transactions: [tx], clientId: CLIENT, durationMs: 1,
    outcome: { exitCode: scenario.expect === 'tokens' ? 0 : 1, output: '', ...outcome },
    ...(final !== undefined && { finalAt: final.arrivedAt }),
  }
}

const byId = (verdicts: Verdict[], id: string) => verdicts.find((v) => v.id === id)!
const statusOf = (run: ScenarioRun) => Object.fromEntries(scenarioVerdicts(run).map((v) => [v.id, v.status]))
const tokens = (at: number): Shape => ({ at, answer: 'tokens' })

describe('spacing', () => {
  it('holds at the tolerance and fails just past it, stating rule and tolerance', () => {
    const limit = 1000 - TOLERANCE.earlyMs
    const pass = runOf('push-approved', [{ at: 1000 }, { at: 1000 + limit }, tokens(2000 + limit)])
    expect(byId(scenarioVerdicts(pass), 'interval').status).toBe('passed')
    const fail = runOf('push-approved', [{ at: 1000 }, { at: 999 + limit }, tokens(2000 + limit)])
    const v = byId(scenarioVerdicts(fail), 'interval')
    expect(v).toMatchObject({ status: 'failed', requirements: ['OOB-C-RESPECT-INTERVAL'] })
    expect(v.message).toBe('request #3 (token) came 0.899 s after the previous poll; ' +
      'at least 1.000 s required (tolerance 100 ms early)')
  })

  it('leaves a gap unjudged when a stall of the event loop could explain it', () => {
    const run = runOf('push-approved', [{ at: 1200, earliest: 1000 }, { at: 1950 }, tokens(3000)])
    expect(byId(scenarioVerdicts(run), 'interval')).toMatchObject({ status: 'skipped', message:
      'not judged, the machine was too busy: the scripted server’s event loop lagged up to 0.200 s around ' +
        'request #2 (token)' })
    const late = runOf('push-approved', [{ at: 1000 }, { at: 2050, earliest: 1850 }, tokens(3100)])
    expect(byId(scenarioVerdicts(late), 'interval').status).toBe('skipped')
    const clear = runOf('push-approved', [{ at: 1200, earliest: 1000 }, { at: 1500 }, tokens(3000)])
    expect(byId(scenarioVerdicts(clear), 'interval').status).toBe('failed')
  })

  it('leaves a short gap unjudged when the client waited for a CPU before the first of the two requests', () => {
    // The client meant to send #2 at 1.0 s but waited 0.3 s for a CPU; it sent #3 a second after it meant to.
    const starved = runOf('push-approved', [{ at: 1300, stall: 300 }, { at: 2000 }, tokens(3100)])
    expect(byId(scenarioVerdicts(starved), 'interval')).toMatchObject({ status: 'skipped', message:
      'not judged, the machine was too busy: the client’s processes waited 0.300 s for a CPU before ' +
        'request #2 (token)' })
    // A wait that cannot explain the gap: polling at half the interval is still a failure.
    const early = runOf('push-approved', [{ at: 1300, stall: 100 }, { at: 1800 }, tokens(3000)])
    expect(byId(scenarioVerdicts(early), 'interval').status).toBe('failed')
    // A wait before the later request only makes the gap longer: nothing to credit.
    const after = runOf('push-approved', [{ at: 1000 }, { at: 1850, stall: 400 }, tokens(3000)])
    expect(byId(scenarioVerdicts(after), 'interval').status).toBe('failed')
  })

  it('passes a client that reports an Okta-shaped error as well as one that recovers; fails only a crash', () => {
    const polls: Shape[] = [{ at: 1000 }, { at: 2000, answer: 'server-error' }]
    const reported = runOf('okta-error-shape', polls, { exitCode: 1, output: 'sign-in failed: HTTP 500 E0000009\n' })
    expect(byId(scenarioVerdicts(reported), 'outcome')).toMatchObject({ status: 'passed', requirements:
      ['OOB-C-OKTA-ERROR-SHAPE'], message: 'the client reported the error: it exited with code 1 (sign-in failed: ' +
        'HTTP 500 E0000009)' })
    const crashed = runOf('okta-error-shape', polls, { exitCode: 1, output: 'TypeError: Cannot read properties ' +
      'of undefined (reading \'error\')\n    at poll (/app/client.js:41:17)\n' })
    expect(byId(scenarioVerdicts(crashed), 'outcome')).toMatchObject({ status: 'failed',
      message: 'the client crashed on the error: at poll (/app/client.js:41:17)' })
    const traceback = runOf('okta-error-shape', polls,
      { exitCode: 1, output: 'Traceback (most recent call last):\n  File "c.py", line 3\nKeyError: \'error\'\n' })
    expect(byId(scenarioVerdicts(traceback), 'outcome').status).toBe('failed')
    const claimed = runOf('okta-error-shape', polls, { exitCode: 0 })
    expect(byId(scenarioVerdicts(claimed), 'outcome').status).toBe('failed')
  })

  it('judges the poll after a slow_down, and the later ones, against the raised interval', () => {
    const slowDown: Shape[] = [{ at: 1000 }, { at: 2000, answer: 'slow_down' }]
    const statuses = (polls: Shape[]) => {
      const all = statusOf(runOf('slow-down', [...slowDown, ...polls]))
      return [all.interval, all['slow-down-adds-5s'], all['slow-down-persists']]
    }
    expect(statuses([{ at: 8000 }, tokens(14000)])).toEqual(['passed', 'passed', 'passed'])
    expect(statuses([{ at: 8000 }, tokens(9000)])).toEqual(['passed', 'passed', 'failed'])
    expect(statuses([{ at: 3000 }, tokens(4000)])).toEqual(['passed', 'failed', 'failed'])
    expect(statuses([])).toEqual(['passed', 'skipped', 'skipped'])
  })

  it('expects 5 s without interval', () => {
    const run = runOf('no-interval', [{ at: 5000 }, tokens(9000)])
    expect(byId(scenarioVerdicts(run), 'default-interval'))
      .toMatchObject({ status: 'failed', requirements: ['OOB-C-DEFAULT-INTERVAL'] })
  })
})

describe('flow verdicts', () => {
  it('fails any use of the code after the final answer', () => {
    const denied: Shape[] = [{ at: 1000 }, { at: 2000, answer: 'denied' }]
    const run = runOf('denied', [...denied, { at: 3000, answer: 'denied' }])
    expect(byId(scenarioVerdicts(run), 'after-final')).toMatchObject({
      status: 'failed', requirements: ['OOB-C-STOP-ON-DENIAL'],
      message: expect.stringMatching(/^request #4 \(token\) used the code/),
    })
    expect(statusOf(runOf('denied', denied))['after-final']).toBe('passed')
    expect(statusOf(runOf('denied', [{ at: 1000 }]))['after-final']).toBe('skipped')
  })

  it('judges the outcome by the exit code the scenario expects', () => {
    const approved = [{ at: 1000 }, { at: 2000 }, tokens(3000)]
    expect(statusOf(runOf('push-approved', approved)).outcome).toBe('passed')
    const crashed = runOf('push-approved', approved, { exitCode: 1, output: 'x\nboom\n' })
    expect(byId(scenarioVerdicts(crashed), 'outcome').message).toBe('the client exited with code 1 (boom)')
    expect(statusOf(runOf('push-approved', [{ at: 1000 }], { exitCode: 0 })).outcome).toBe('failed')
    const denied: Shape[] = [{ at: 1000 }, { at: 2000, answer: 'denied' }]
    expect(statusOf(runOf('denied', denied, { exitCode: 0 })).outcome).toBe('failed')
    const lingered = runOf('denied', denied, { exitCode: null, stopped: 'after-final' })
    expect(statusOf(lingered).outcome).toBe('passed')
  })

  it('stops at expiry within the late tolerance', () => {
    const expiresAt = 1 + 6000
    const ok = runOf('expires-in-elapses', [{ at: 4000 }, { at: expiresAt + TOLERANCE.lateMs }])
    expect(statusOf(ok)['stop-at-expiry']).toBe('passed')
    const late = runOf('expires-in-elapses', [{ at: 4000 }, { at: expiresAt + TOLERANCE.lateMs + 1 }])
    expect(statusOf(late)['stop-at-expiry']).toBe('failed')
  })

  it('expects a 429 to be waited out, as long as its headers say, and the flow to go on', () => {
    const limited: Shape[] = [{ at: 1000 }, { at: 2000, answer: 'rate-limited', retryAt: 5000 }]
    const retryAt = (next: number) => {
      const all = statusOf(runOf('rate-limited', [...limited, { at: next }, tokens(next + 1000)]))
      return [all['backoff-on-429'], all['honours-retry-after']]
    }
    expect(retryAt(5000)).toEqual(['passed', 'passed'])
    expect(retryAt(4000)).toEqual(['passed', 'failed'])
    expect(retryAt(3000)).toEqual(['failed', 'failed'])
    expect(byId(scenarioVerdicts(runOf('rate-limited', limited)), 'backoff-on-429').message)
      .toMatch(/the client gave up the flow/)
  })

  it('expects longer waits after failures, growing while they repeat', () => {
    const failing = (first: number, second: number) => statusOf(runOf('server-unavailable', [
      { at: 1000 }, { at: 2000, answer: 'server-error' }, { at: 2000 + first, answer: 'reset' },
      { at: 2000 + first + second }, tokens(3000 + first + second)]))
    expect(failing(2000, 4000)).toMatchObject({ backoff: 'passed', 'backoff-grows': 'passed' })
    expect(failing(2000, 2000)).toMatchObject({ backoff: 'passed', 'backoff-grows': 'failed' })
    expect(failing(1000, 4000)).toMatchObject({ backoff: 'failed', 'backoff-grows': 'passed' })
  })

  it('prompt: one request with the code exactly as typed, described without revealing it', () => {
    const typed = SCENARIOS.find((s) => s.name === 'prompt')!.typedCode!
    const sent = (code: string): Shape => ({ ...tokens(10), params: { ...TOKEN_FORM, binding_code: code } })
    expect(statusOf(runOf('prompt', [sent(typed)]))).toMatchObject({ 'prompt-no-poll': 'passed',
      'prompt-sends-code': 'passed', 'binding-code-verbatim': 'passed' })
    const trimmed = byId(scenarioVerdicts(runOf('prompt', [sent(typed.trim())])), 'binding-code-verbatim')
    expect(trimmed.message).toMatch(/whitespace trimmed$/)
    expect(trimmed.message).not.toContain(typed.trim())
    const polled = runOf('prompt', [{ at: 5000, answer: 'code-required' }])
    expect(statusOf(polled)).toMatchObject({ 'prompt-no-poll': 'failed', 'prompt-sends-code': 'failed',
      'binding-code-verbatim': 'skipped' })
  })

  it('transfer: the number is shown as a number of its own, and never sent', () => {
    const polls = [{ at: 1000 }, { at: 2000 }, tokens(3000)]
    const shows = (output: string) =>
      statusOf(runOf('number-challenge', polls, { output }))['shows-binding-code']
    expect(shows('Tap 73 now\n')).toBe('passed')
    expect(shows('took 173 ms\n')).toBe('failed')
    const sending = runOf('number-challenge', [{ at: 1000, params: { ...TOKEN_FORM, binding_code: '73' } }])
    expect(statusOf(sending)['transfer-polls-without-code']).toBe('failed')
  })
})

describe('verdicts on evidence', () => {
  const userinfo = (at: number, scheme: string): Shape =>
    ({ at, endpoint: 'userinfo', answer: 'userinfo', headers: { authorization: `${scheme} ${ACCESS_TOKEN}` } })

  it('judges a token verdict on the use of the token, never on an exit code alone', () => {
    const outcome = (name: string, polls: Shape[], o: Partial<ClientOutcome> = {}) =>
      byId(scenarioVerdicts(runOf(name, polls, o)), 'outcome')
    const used = [tokens(1000), userinfo(1100, 'foo')]
    expect(outcome('unknown-token-type', used, { exitCode: 0 })).toMatchObject({ status: 'failed',
      requirements: ['OOB-C-UNKNOWN-TOKEN-TYPE'], message: 'the client presented the access token ' +
        '(token_type "Bearer") at userinfo as "foo …", request #3 (userinfo)' })
    expect(outcome('unknown-token-type', [tokens(1000)], { exitCode: 0, output: `token ${ACCESS_TOKEN}\n` }))
      .toMatchObject({ status: 'failed', message: 'the client printed the access token (token_type "Bearer")' })
    expect(outcome('unknown-token-type', [tokens(1000)], { exitCode: 1 })).toMatchObject({ status: 'passed',
      message: 'the client exited with code 1 without using the access token it received' })
    const silent = outcome('unknown-token-type', [tokens(1000)], { exitCode: 0 })
    expect(silent).toMatchObject({ status: 'skipped', message: expect.stringMatching(/^no evidence: /) })
    expect(silent.message).not.toContain(ACCESS_TOKEN)

    expect(outcome('lowercase-token-type', [tokens(1000), userinfo(1100, 'bearer')]).status).toBe('passed')
    expect(outcome('lowercase-token-type', [tokens(1000)], { exitCode: 1 }).status).toBe('failed')
    expect(outcome('unknown-members', [tokens(1000)]).status).toBe('skipped')
    expect(outcome('unknown-members', [{ at: 1000 }], { exitCode: 1 }).message)
      .toBe('not applicable: the client never got to the token response')
  })

  it('does not charge a scenario’s rule to a client that ended before that rule’s answer came', () => {
    const early = byId(scenarioVerdicts(runOf('denied', [{ at: 1000 }], { exitCode: 1 })), 'outcome')
    expect(early).toMatchObject({ status: 'skipped', requirements: ['OOB-C-REPORT-FAILURE'], message:
      'not applicable: the client ended the flow after 1 poll answer(s), before the denied answer this ' +
      'scenario is about' })
    expect(byId(scenarioVerdicts(runOf('pending-with-403', [{ at: 1000 }], { exitCode: 1 })), 'outcome')
      .message).toMatch(/before the 403 authorization_pending answer/)
    expect(statusOf(runOf('pending-with-403', [{ at: 1000 }, { at: 2000, answer: 'error' }],
      { exitCode: 1 })).outcome).toBe('failed')
    // Plain polling is push-approved's rule: giving up on a pending is judged there.
    expect(statusOf(runOf('push-approved', [{ at: 1000 }], { exitCode: 1 })).outcome).toBe('failed')
  })

  it('judges nothing about a flow the client never started', () => {
    for (const name of ['push-approved', 'number-challenge', 'number-challenge-without-code', 'unknown-members',
      'expired-mid-poll', 'expires-in-elapses']) {
      const run = runOf(name, [], { exitCode: 1 })
      run.requests = []
      run.transactions = []
      const judged = scenarioVerdicts(run).filter((v) => v.status !== 'skipped')
      expect(judged.map((v) => `${name}/${v.id}: ${v.message}`)).toEqual([])
    }
  })

  it('finds no back-off to judge when the client never retried, and names the SHOULD it gave up', () => {
    for (const name of ['server-unavailable', 'server-errors-repeated']) {
      const closed = runOf(name, [{ at: 1000 }, { at: 2000, answer: 'server-error' }], { exitCode: 1 })
      const verdicts = scenarioVerdicts(closed)
      expect(byId(verdicts, 'backoff')).toMatchObject({
        status: 'skipped', requirements: ['OOB-C-TIMEOUT-BACKOFF'], message: 'not applicable: no request followed a failure (the client did not retry)' })
      expect(byId(verdicts, 'backoff-grows').status).toBe('skipped')
      expect(byId(verdicts, 'outcome')).toMatchObject({ status: 'failed', requirements: ['OOB-C-KEEP-POLLING'] })
    }
    const limited = runOf('rate-limited', [{ at: 1000 }, { at: 2000, answer: 'rate-limited', retryAt: 6000 }],
      { exitCode: 1 })
    expect(byId(scenarioVerdicts(limited), 'honours-retry-after')).toMatchObject({ status: 'skipped',
      message: 'not applicable: no request followed the 429' })
  })

  it('catches a back-off that grows linearly on the third failure in a row', () => {
    const failures = (gaps: number[]) => {
      let at = 2000
      const polls: Shape[] = [{ at: 1000 }]
      for (const gap of gaps) {
        polls.push({ at, answer: 'server-error' })
        at += gap
      }
      return statusOf(runOf('server-errors-repeated', [...polls, { at }, tokens(at + 1000)]))['backoff-grows']
    }
    expect(failures([2000, 4000, 8000])).toBe('passed')
    expect(failures([5000, 8000, 11000])).toBe('failed')
  })

  it('fails a client that gave up on a slow answer before 30 s', () => {
    const slow = (abandonedAt?: number) => byId(scenarioVerdicts(runOf('slow-response', [
      { at: 1000, heldMs: 31_000, ...(abandonedAt !== undefined && { abandonedAt }) },
      tokens(33_000)])), 'waits-for-slow-answer')
    expect(slow()).toMatchObject({ status: 'passed', requirements: ['OOB-C-TOLERATE-SLOW-RESPONSE'] })
    expect(slow(16_000)).toMatchObject({ status: 'failed', message: 'request #2 (token): the client closed ' +
      'the connection 15.000 s after sending it, before the answer held back 31.000 s; at least 30.000 s required' })
    expect(slow(31_000).status).toBe('passed')
    expect(byId(scenarioVerdicts(runOf('slow-response', [])), 'waits-for-slow-answer').status).toBe('skipped')
  })

  it('says how a typed code with a leading zero changed', () => {
    const sent = { ...tokens(10), params: { ...TOKEN_FORM, binding_code: '12345' } }
    expect(byId(scenarioVerdicts(runOf('prompt-leading-zero', [sent])), 'binding-code-verbatim').message)
      .toBe('request #2 (token) sent a 5-character binding_code for the 6 characters typed: ' +
        'leading zeros dropped (read as a number)')
  })
})

describe('wire verdicts', () => {
  const wire = (shape: Partial<Shape>) => Object.fromEntries(
    wireVerdicts([runOf('push-approved', [{ at: 1000, ...shape }])]).map((v) => [v.id, v.status]))
  const start = (params: Record<string, string>): Partial<Shape> =>
    ({ endpoint: 'primary-authenticate', params: { ...START_FORM, ...params } })

  it('passes a conforming request on every rule', () => {
    expect(Object.values(wire({})).every((s) => s === 'passed')).toBe(true)
  })

  it.each([
    ['form-post', { headers: { 'content-type': 'application/json' } }],
    ['form-post', { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' } }],
    ['accept-json', { headers: { accept: '*/*' } }],
    ['one-auth-method',
      { headers: { authorization: 'Basic eDp5' }, params: { ...TOKEN_FORM, client_secret: 'y' } }],
    ['registered-auth-method', { params: { ...TOKEN_FORM, client_secret: 'y' } }],
    ['no-secret-in-uri', { url: `/oauth2/v1/token?oob_code=${CODE}` }],
    ['token-params', { params: { ...TOKEN_FORM, grant_type: 'password' } }],
    ['token-params', { params: { ...TOKEN_FORM, scope: 'profile' } }],
    ['oob-code-opaque', { params: { ...TOKEN_FORM, oob_code: CODE.toUpperCase() } }],
    ['init-hints', start({ channel_hint: 'sms' })],
    ['challenge-hint', start({ challenge_hint: 'urn:okta:params:oauth:grant-type:otp' })],
    ['no-scope-at-init', start({ scope: 'openid' })],
    ['form-encoding', start({ login_hint: 'zoë push@example.test' })],
  ] as const)('fails %s on %j', (id, shape) => {
    expect(wire(shape as Partial<Shape>)[id]).toBe('failed')
  })

  it('checks a confidential client’s credentials on every request', () => {
    const basic = (secret: string) =>
      `Basic ${Buffer.from(`oob-confidential-client:${secret}`).toString('base64')}`
    const status = (authorization?: string) => {
      const run = runOf('confidential-client', [{ at: 1000 }])
      run.clientId = 'oob-confidential-client'
      run.clientSecret = 'oob-confidential-secret'
      for (const r of run.requests) {
        r.params = r.params!.map(([n, v]) => [n, n === 'client_id' ? run.clientId : v])
        if (authorization !== undefined) r.headers.authorization = authorization
      }
      return byId(wireVerdicts([run]), 'registered-auth-method').status
    }
    expect(status(basic('oob-confidential-secret'))).toBe('passed')
    expect(status(basic('wrong'))).toBe('failed')
    expect(status()).toBe('failed')
  })

  it('judges the encoding of the raw body, and login_hint against the hint the client was given', () => {
    const encoding = (body: string, loginHint = 'zoë+push@example.test') => {
      const run = runOf('push-approved', [{ at: 1000 }])
      run.scenario = { ...run.scenario, loginHint }
      run.requests[0]!.body = body
      run.requests[0]!.params = [...new URLSearchParams(body)]
      return byId(wireVerdicts([run]), 'form-encoding')
    }
    const hint = 'login_hint=zo%C3%AB%2Bpush%40example.test'
    expect(encoding(`client_id=c&${hint}&channel_hint=push`).status).toBe('passed')
    expect(encoding('login_hint=zoe%2Bpush', 'zoe+push').status).toBe('passed')
    expect(encoding('login_hint=zoe%2Bpush', 'other').message)
      .toMatch(/login_hint decodes to "zoe\+push", not the "other" the client was given/)
    expect(encoding('scope=openid+profile&x=a%20b*~._-').status).toBe('passed')
    expect(encoding('login_hint=zoe%2Bpush@example.test', 'zoe+push@example.test').message)
      .toMatch(/: the value of login_hint carries "@" that form encoding percent-encodes$/)
    const secret = encoding('client_secret=s3cr@t')
    expect(secret.message).toMatch(/the value of client_secret carries a character that form encoding/)
    expect(secret.message).not.toContain('@')
  })

  it('lets a poll follow one the client gave up on, within the tolerance of seeing it closed', () => {
    const overlap = (abandonedAt: number) => {
      const run = runOf('slow-response', [{ at: 1000, heldMs: 31_000, abandonedAt }, { at: 6000 }])
      run.requests[1]!.answeredAt = abandonedAt
      return byId(wireVerdicts([run]), 'no-overlapping-polls').status
    }
    expect(overlap(6000 + TOLERANCE.earlyMs)).toBe('passed')
    expect(overlap(6001 + TOLERANCE.earlyMs)).toBe('failed')
  })

  it('fails a request sent while an earlier one for the same code was unanswered', () => {
    const run = runOf('push-approved', [{ at: 1000 }, { at: 1000.5 }])
    expect(byId(wireVerdicts([run]), 'no-overlapping-polls')).toMatchObject({ status: 'failed',
      message: expect.stringContaining('push-approved request #3 (token): sent while request #2') })
  })
})
