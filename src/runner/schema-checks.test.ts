import { describe, it, expect } from 'vitest'
import { basicAuthorization } from '../http/client.js'
import { createRedactor, REDACTED } from '../redact/index.js'
import type { CheckResult, Exchange, Level } from '../results/model.js'
import { SCHEMA_RULES, schemaChecks } from './schema-checks.js'
import type { RawCheck } from './vitest-run.js'

const SECRET = 'oob-confidential-secret'
const AS = 'https://as.example/oauth2/v1'
const json = { 'content-type': 'application/json' }
const tokenHeaders = { ...json, 'cache-control': 'no-store', pragma: 'no-cache' }
const tokens = { access_token: 'eyJ.access.token', token_type: 'Bearer', expires_in: 3600, scope: 'openid' }

/** One exchange with the endpoint `operation`; `basic` authenticates the request with client_secret_basic. */
function exchange(operation: string, status: number, body: unknown, headers: Record<string, string> = json,
  basic = false): Exchange {
  return {
    operation,
    request: {
      method: 'POST',
      url: `${AS}/${operation === 'token' ? 'token' : 'primary-authenticate'}`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(basic && { authorization: basicAuthorization('oob-confidential-client', SECRET) }),
      },
      body: basic
        ? 'grant_type=x&oob_code=c'
        : `client_id=oob-confidential-client&client_secret=${SECRET}&oob_code=c`,
    },
    response: { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 2,
  }
}

const conforming = [
  exchange('primaryAuthenticate', 200,
    { oob_code: 'c', expires_in: 300, interval: 5, channel: 'push', binding_method: 'none' }),
  exchange('token', 200, tokens, tokenHeaders),
  exchange('token', 400, { error: 'authorization_pending', error_description: 'Keep polling.' }),
  exchange('token', 401, { error: 'invalid_client' }, { ...json, 'www-authenticate': 'Basic' }, true),
]

/** The id → "status: message" of each schema check. */
const verdicts = (results: Record<string, CheckResult>) =>
  Object.fromEntries(Object.values(results).map((r) => [r.id, `${r.status}: ${r.message}`]))

function run(exchanges: Exchange[], levelFor: (id: string) => Level | undefined = () => 'MUST') {
  const check: RawCheck = {
    name: 'flows/x — x', file: 'x', state: 'passed', message: 'passed', durationMs: 1,
    meta: { id: 'flows/x', title: 'x', requirements: [], exchanges, notes: [], reproduction: [] },
  }
  const results = schemaChecks([check], { profile: 'okta', levelFor, redact: createRedactor([SECRET]) })
  return Object.fromEntries(results.map((r) => [r.id, r])) as Record<string, CheckResult>
}

describe('schemaChecks', () => {
  it('one check per rule; all pass on conforming responses, counting what each graded', () => {
    const results = run(conforming)
    expect(Object.keys(results)).toEqual(SCHEMA_RULES.map((r) => r.id))
    expect(verdicts(results)).toEqual({
      'schema/status-documented': 'passed: 4 response(s) conform',
      'schema/initiation-success': 'passed: 1 response(s) conform',
      'schema/token-success': 'passed: 1 response(s) conform',
      'schema/token-cache-control': 'passed: 1 response(s) conform',
      'schema/token-pragma': 'passed: 1 response(s) conform',
      'schema/error-body': 'passed: 2 response(s) conform',
      'schema/error-charset': 'passed: 2 response(s) conform',
      'schema/www-authenticate': 'passed: 1 response(s) conform',
    })
    expect(results['schema/token-success']).toMatchObject({
      requirements: ['OOB-S-TOKEN-RESPONSE'], level: 'MUST', reproduction: null,
    })
  })

  it('a rule with nothing to grade is skipped; control exchanges and failed exchanges are not graded', () => {
    const control: Exchange = {
      ...exchange('control', 500, ''), request: { method: 'POST', url: 'x', headers: {} },
    }
    const failed: Exchange = { ...exchange('token', 0, ''), response: undefined, error: 'timeout' }
    const results = run([exchange('token', 200, tokens, tokenHeaders), control, failed])
    expect(results['schema/status-documented']!.message).toBe('1 response(s) conform')
    expect(results['schema/initiation-success']).toMatchObject({
      status: 'skipped', message: 'no response of this kind was received in this run', reproduction: null,
    })
    expect(results['schema/www-authenticate']!.status).toBe('skipped')
  })

  it('the level comes from the catalogue lookup', () => {
    const results = run(conforming, (id) => (id === 'OOB-S-TOKEN-PRAGMA-NO-CACHE' ? 'SHOULD' : 'MUST'))
    expect(results['schema/token-pragma']!.level).toBe('SHOULD')
    expect(results['schema/token-cache-control']!.level).toBe('MUST')
  })

  it('grades a faulty run: each defect fails its rule\'s check, with a message and a reproduction', () => {
    const results = run([
      ...conforming,
      exchange('token', 500, '<html>oops</html>', { 'content-type': 'text/html' }),
      exchange('token', 200, tokens, { ...json, pragma: 'no-cache' }),
      exchange('token', 400, { error: 'invalid_grant', error_description: 'the "otp" is wrong' }),
      exchange('token', 401, { error: 'invalid_client' }, json, true),
      // Without Basic, WWW-Authenticate is not required.
      exchange('token', 401, { error: 'invalid_client' }, json, false),
    ])
    expect(verdicts(results)).toEqual({
      'schema/status-documented': 'failed: 1 of 9 response(s) depart from the spec: token 500: status 500 ' +
        'is not documented for token (documented: 200, 400, 401, 403, 429)',
      'schema/initiation-success': 'passed: 1 response(s) conform',
      'schema/token-success': 'passed: 2 response(s) conform',
      'schema/token-cache-control': 'failed: 1 of 2 response(s) depart from the spec: token 200: header ' +
        'Cache-Control is required but missing',
      'schema/token-pragma': 'passed: 2 response(s) conform',
      'schema/error-body': 'passed: 5 response(s) conform',
      'schema/error-charset': 'failed: 1 of 5 response(s) depart from the spec: token 400: body ' +
        '/error_description: must be text in the RFC 6749 §5.2 character set ' +
        '(printable ASCII without " and \\)',
      'schema/www-authenticate': 'failed: 1 of 3 response(s) depart from the spec: token 401: header ' +
        'WWW-Authenticate is missing; it is required after client_secret_basic authentication',
    })
    const www = results['schema/www-authenticate']!
    expect(www.reproduction!.split('\n')[0]).toBe('# token → 401')
    expect(www.reproduction).toContain(`-H 'authorization: Basic ${REDACTED}'`)
    expect(www.transcript).toHaveLength(1)
    expect(JSON.stringify(Object.values(results))).not.toContain(SECRET)
    expect(results['schema/status-documented']!.reproduction).toContain(`client_secret=${REDACTED}`)
  })

  it('validates the raw bodies: a token redaction would turn into a string still fails', () => {
    const numeric = exchange('token', 200, { ...tokens, access_token: 12345 }, tokenHeaders)
    const result = run([numeric])['schema/token-success']!
    expect(result.status).toBe('failed')
    expect(result.message).toBe('1 of 1 response(s) depart from the spec: token 200: body /access_token: ' +
      'must be a string (got integer)')
    // What the report shows is redacted all the same.
    expect(result.transcript![0]!.response!.body).toContain(`"access_token":"${REDACTED}"`)
  })

  it('counts responses, not problems, and names at most three kinds', () => {
    const result = run([exchange('token', 200, {}, tokenHeaders)])['schema/token-success']!
    expect(result.message).toBe('1 of 1 response(s) depart from the spec: token 200: body /access_token: ' +
      'is required but missing; token 200: body /token_type: is required but missing')
    const statuses = run([500, 502, 503, 504].map((status) => exchange('token', status, '')))
    expect(statuses['schema/status-documented']!.message)
      .toMatch(/^4 of 4 response\(s\) depart from the spec: token 500: .*; token 503: .* \(\+1 more kinds\)$/)
    expect(statuses['schema/status-documented']!.reproduction!.match(/^curl /gm)).toHaveLength(1)
  })
})
