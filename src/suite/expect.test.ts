import { describe, it, expect } from 'vitest'
import type { HttpResponse } from '../http/client.js'
import { expectError, expectNoTokens, expectOutcome, expectTokens, expectationFor, meets } from './expect.js'
import { CheckFailure } from './failure.js'

function response(status: number, text: string): HttpResponse {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return {
    status, headers: {}, text, json,
    exchange: {
      request: { method: 'POST', url: 'https://as.example/token', headers: {} }, startedAt: '', durationMs: 0,
    },
  }
}

const error = (status: number, code: string) => response(status, JSON.stringify({ error: code }))
const tokens = response(200, '{"access_token":"at","token_type":"Bearer"}')

describe('expectationFor', () => {
  it('reads each profile\'s expectation from the catalogue', () => {
    expect(expectationFor('OOB-S-OOB-CODE-EXPIRES', 'okta')).toEqual({
      status: [403], error: ['access_denied'], text: '403 access_denied ("\'{oob_code}\' has expired")',
    })
    expect(expectationFor('OOB-S-OOB-CODE-EXPIRES', 'rfc')).toEqual({
      status: [400], error: ['expired_token'], text: '400 expired_token',
    })
  })

  it('an id missing from the catalogue is a mistake in the check', () => {
    expect(() => expectationFor('OOB-S-NO-SUCH', 'okta'))
      .toThrow('unknown requirement id OOB-S-NO-SUCH (not in spec/requirements.yaml)')
  })
})

describe('meets', () => {
  it('checks the status and error lists; an absent list accepts anything', () => {
    const expectation = { status: [400, 403], error: ['access_denied'], text: '' }
    expect(meets(error(403, 'access_denied'), expectation)).toBe(true)
    expect(meets(error(401, 'access_denied'), expectation)).toBe(false)
    expect(meets(error(400, 'invalid_grant'), expectation)).toBe(false)
    expect(meets(response(400, 'not json'), expectation)).toBe(false)
    expect(meets(error(418, 'anything'), { text: '' })).toBe(true)
    expect(meets(error(400, 'anything'), { status: [400], text: '' })).toBe(true)
  })
})

describe('expectOutcome', () => {
  it('passes silently when the profile\'s expectation is met', () => {
    expect(expectOutcome(error(400, 'expired_token'), 'OOB-S-OOB-CODE-EXPIRES', 'rfc', 'after expiry'))
      .toBeUndefined()
  })

  it('fails with the situation, the profile\'s expectation and what came back', () => {
    expect(() => expectOutcome(error(400, 'expired_token'), 'OOB-S-OOB-CODE-EXPIRES', 'okta', 'after expiry'))
      .toThrow(new CheckFailure('after expiry: expected 403 access_denied ("\'{oob_code}\' has expired") ' +
        '(okta), got 400 expired_token'))
  })
})

describe('expectTokens, expectNoTokens, expectError', () => {
  it('expectTokens wants 200 with an access_token', () => {
    expect(expectTokens(tokens, 'after approval')).toBeUndefined()
    expect(() => expectTokens(error(400, 'authorization_pending'), 'after approval'))
      .toThrow(new CheckFailure('after approval: expected 200 with tokens, got 400 authorization_pending'))
    expect(() => expectTokens(response(200, '{"token_type":"Bearer"}'), 'after approval'))
      .toThrow(new CheckFailure('after approval: expected 200 with tokens, got 200 {"token_type":"Bearer"}'))
  })

  it('failure messages quote at most 120 characters of a body that is not an OAuth answer', () => {
    const html = `<html>${'x'.repeat(200)}</html>`
    expect(() => expectTokens(response(502, html), 'redeem'))
      .toThrow(new CheckFailure(`redeem: expected 200 with tokens, got 502 ${html.slice(0, 120)}…`))
    expect(() => expectTokens(response(204, ''), 'redeem'))
      .toThrow(new CheckFailure('redeem: expected 200 with tokens, got 204 (empty body)'))
  })

  it('expectNoTokens refuses tokens and any 200', () => {
    expect(expectNoTokens(error(403, 'access_denied'), 'reuse')).toBeUndefined()
    expect(() => expectNoTokens(tokens, 'reuse'))
      .toThrow(new CheckFailure('reuse: expected an error, got 200 with tokens'))
    expect(() => expectNoTokens(response(200, '{}'), 'reuse'))
      .toThrow(new CheckFailure('reuse: expected an error, got 200 {}'))
  })

  it('expectError takes one or several statuses and codes', () => {
    expect(expectError(error(401, 'invalid_client'), 401, 'invalid_client', 'wrong secret')).toBeUndefined()
    expect(expectError(error(400, 'invalid_request'), [400, 401], ['invalid_client', 'invalid_request'], 'x'))
      .toBeUndefined()
    expect(() => expectError(tokens, [400, 401], ['invalid_client', 'invalid_request'], 'secret in URI'))
      .toThrow(new CheckFailure('secret in URI: expected 400/401 invalid_client or invalid_request, ' +
        'got 200 with tokens'))
    expect(() => expectError(error(400, 'invalid_client'), 401, 'invalid_client', 'wrong secret'))
      .toThrow(new CheckFailure('wrong secret: expected 401 invalid_client, got 400 invalid_client'))
  })
})
