import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { resolveCheckConfig } from '../config/resolve.js'
import { loadContract } from '../contract/index.js'
import {
  applyMutation, describeRequest, materialize, nearMisses, requestArbitrary, type GeneratedRequest,
} from './arbitraries.js'
import { OOB_GRANT_TYPE } from '../protocol/index.js'

const target = resolveCheckConfig({ baseUrl: 'https://as.example' }, {}).target
const rfcTarget = { ...target, profile: 'rfc' as const }
const sample = (request: fc.Arbitrary<GeneratedRequest>) => fc.sample(request, { seed: 7, numRuns: 300 })

describe('requestArbitrary', () => {
  it('draws parameter names from the spec, plus repeats and unknown names', () => {
    const own = loadContract().requestParameters('token', 'okta').map((p) => p.name)
    const names = sample(requestArbitrary('token', target)).flatMap((r) => r.parameters.map((p) => p.name))
    for (const name of own) expect(names).toContain(name)
    expect(names).toContain('login_hint')
    expect(names.some((name) => !own.includes(name))).toBe(true)
  })

  it('sends a required parameter far more often than an optional one', () => {
    const count = (requests: GeneratedRequest[], name: string) =>
      requests.filter((r) => r.parameters.some((p) => p.name === name)).length
    const okta = sample(requestArbitrary('token', target))
    const rfc = sample(requestArbitrary('token', rfcTarget))
    // scope is required under okta only (spec/openapi.yaml, x-oob-profiles).
    expect(count(okta, 'scope')).toBeGreaterThan(count(rfc, 'scope') * 1.5)
    expect(count(okta, 'grant_type')).toBeGreaterThan(count(okta, 'binding_code') * 2)
  })

  it('takes const and enum values from the spec, with near misses beside them', () => {
    const values = (op: 'token' | 'primaryAuthenticate', name: string) => sample(requestArbitrary(op, target))
      .flatMap((r) => r.parameters.filter((p) => p.name === name).map((p) => p.value))
    expect(values('token', 'grant_type')).toContain(OOB_GRANT_TYPE)
    expect(values('token', 'grant_type')).toContain(OOB_GRANT_TYPE.toUpperCase())
    expect(values('primaryAuthenticate', 'channel_hint'))
      .toEqual(expect.arrayContaining(['push', 'sms', 'voice', 'email']))
  })

  it('refers to the live oob_code by mutation, so a counterexample replays against a new one', () => {
    const codes = sample(requestArbitrary('token', target))
      .flatMap((r) => r.parameters.filter((p) => p.name === 'oob_code').map((p) => p.value))
    expect(codes.some((c) => typeof c === 'object' && c.mutation === 'flip-case')).toBe(true)
    expect(codes.some((c) => typeof c === 'string')).toBe(true)
  })
})

describe('applyMutation', () => {
  it('makes the near misses of a code', () => {
    expect(applyMutation('abcDEF', { mutation: 'unchanged' })).toBe('abcDEF')
    expect(applyMutation('abcDEF', { mutation: 'replace', at: 7, char: 'z' })).toBe('azcDEF')
    expect(applyMutation('abcDEF', { mutation: 'truncate', by: 2 })).toBe('abcD')
    expect(applyMutation('abcDEF', { mutation: 'extend', with: '==' })).toBe('abcDEF==')
    expect(applyMutation('abcDEF', { mutation: 'flip-case', at: 3 })).toBe('abcdEF')
  })
})

describe('nearMisses', () => {
  it('gives the values beside a correct one, never the value itself', () => {
    expect(nearMisses('push').sort()).toEqual([' push', 'PUSH', 'pus', 'push ', 'pushx'].sort())
  })
})

describe('materialize', () => {
  const base: GeneratedRequest = {
    operation: 'token',
    parameters: [
      { name: 'grant_type', value: OOB_GRANT_TYPE },
      { name: 'oob_code', value: { mutation: 'truncate', by: 1 } },
      { name: 'scope', value: 'openid profile', tail: '%zz' },
    ],
    placement: 'body',
    encoding: 'form',
    contentType: 'application/x-www-form-urlencoded',
  }
  const context = { target, oobCode: 'LiveCode123' }
  const grantType = `grant_type=${encodeURIComponent(OOB_GRANT_TYPE)}`

  it('form-encodes the parameters into the body, applying the code mutation and the encoding tail', () => {
    const request = materialize(base, context)
    expect(request).toMatchObject({ method: 'POST', url: target.endpoints.token, operation: 'token' })
    expect(request.body).toBe(`${grantType}&oob_code=LiveCode12&scope=openid+profile%zz`)
  })

  it('moves parameters to the query string, whole or every other one', () => {
    expect(materialize({ ...base, placement: 'query' }, context)).toMatchObject({
      url: `${target.endpoints.token}?${grantType}&oob_code=LiveCode12&scope=openid+profile%zz`,
      body: '',
    })
    const split = materialize({ ...base, placement: 'split' }, context)
    expect(split.url).toBe(`${target.endpoints.token}?oob_code=LiveCode12`)
    expect(split.body).toBe(`${grantType}&scope=openid+profile%zz`)
  })

  it('sends raw pairs, JSON and the chosen Authorization header as asked', () => {
    expect(materialize({ ...base, encoding: 'raw' }, context).body)
      .toBe(`grant_type=${OOB_GRANT_TYPE}&oob_code=LiveCode12&scope=openid profile%zz`)
    expect(JSON.parse(materialize({ ...base, encoding: 'json' }, context).body!))
      .toEqual({ grant_type: OOB_GRANT_TYPE, oob_code: 'LiveCode12', scope: 'openid profile' })
    const { headers } = materialize({ ...base, authorization: 'wrong-secret-basic' }, context)
    const basic = headers!.authorization!
    expect(Buffer.from(basic.slice('Basic '.length), 'base64').toString())
      .toBe('oob-confidential-client:not-the-secret')
  })
})

describe('describeRequest', () => {
  it('gives operation, content type, authorization scheme, query and shortened body on one line', () => {
    const line = describeRequest({
      url: 'https://as.example/token?a=1', operation: 'token',
      headers: { 'content-type': 'text/plain', authorization: 'Basic eA==' },
      body: 'x'.repeat(200),
    })
    expect(line).toBe(`token: text/plain, Basic authorization query "a=1" body "${'x'.repeat(160)}…"`)
  })
})
