import { describe, it, expect } from 'vitest'
import type { HttpResponse } from '../http/client.js'
import { expectNoTokens, expectOutcome, expectTokens, expectationFor, meets } from './expect.js'
import { RequirementFailure, StepRecorder, withSteps } from './steps.js'

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

/** Runs `body` as a check's steps would run, returning its verdicts and what it threw. */
async function steps(body: () => void) {
  const recorder = new StepRecorder()
  let thrown: unknown
  await withSteps(recorder, async () => {
    try {
      body()
    } catch (e) {
      thrown = e
    }
  })
  return { verdicts: recorder.finish([]), thrown }
}

describe('expectOutcome', () => {
  it('passes the requirement when the profile\'s expectation is met', async () => {
    const { verdicts, thrown } = await steps(() =>
      expectOutcome(error(400, 'expired_token'), 'OOB-S-OOB-CODE-EXPIRES', 'rfc', 'after expiry'))
    expect(thrown).toBeUndefined()
    expect(verdicts).toEqual([{ requirement: 'OOB-S-OOB-CODE-EXPIRES', status: 'passed',
      message: 'after expiry: 400 expired_token', passes: 1 }])
  })

  it('fails that requirement only, with the situation, the profile\'s expectation and what came back', async () => {
    const { verdicts, thrown } = await steps(() =>
      expectOutcome(error(400, 'expired_token'), 'OOB-S-OOB-CODE-EXPIRES', 'okta', 'after expiry'))
    const message = 'after expiry: expected 403 access_denied ("\'{oob_code}\' has expired") (okta), got 400 expired_token'
    expect(thrown).toEqual(new RequirementFailure('OOB-S-OOB-CODE-EXPIRES', message))
    expect(thrown).toMatchObject({ requirement: 'OOB-S-OOB-CODE-EXPIRES' })
    expect(verdicts).toEqual([{ requirement: 'OOB-S-OOB-CODE-EXPIRES', status: 'failed', message, passes: 0 }])
  })
})

describe('expectTokens, expectNoTokens', () => {
  const ID = 'OOB-S-TOKENS-AFTER-APPROVAL'
  it('expectTokens wants 200 with an access_token', () => {
    expect(expectTokens(ID, tokens, 'after approval')).toBeUndefined()
    expect(() => expectTokens(ID, error(400, 'authorization_pending'), 'after approval'))
      .toThrow(new RequirementFailure(ID, 'after approval: expected 200 with tokens, got 400 authorization_pending'))
    expect(() => expectTokens(ID, response(200, '{"token_type":"Bearer"}'), 'after approval'))
      .toThrow('after approval: expected 200 with tokens, got 200 {"token_type":"Bearer"}')
  })

  it('failure messages quote at most 120 characters of a body that is not an OAuth answer', () => {
    const html = `<html>${'x'.repeat(200)}</html>`
    expect(() => expectTokens(ID, response(502, html), 'redeem'))
      .toThrow(`redeem: expected 200 with tokens, got 502 ${html.slice(0, 120)}…`)
    expect(() => expectTokens(ID, response(204, ''), 'redeem'))
      .toThrow('redeem: expected 200 with tokens, got 204 (empty body)')
  })

  it('expectNoTokens refuses tokens and any 200, blaming the requirement it is given', () => {
    const reuse = 'OOB-S-OOB-CODE-SINGLE-USE'
    expect(expectNoTokens(reuse, error(403, 'access_denied'), 'reuse')).toBeUndefined()
    expect(() => expectNoTokens(reuse, tokens, 'reuse'))
      .toThrow(new RequirementFailure(reuse, 'reuse: expected an error, got 200 with tokens'))
    expect(() => expectNoTokens(reuse, response(200, '{}'), 'reuse')).toThrow('reuse: expected an error, got 200 {}')
  })
})
