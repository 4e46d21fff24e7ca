import { performance } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { isOobConformanceError } from '../errors.js'
import { createContract, loadContract } from './contract.js'
import type { OperationId, Profile, WireResponse } from './types.js'

const contract = loadContract()
const OOB_GRANT = 'urn:okta:params:oauth:grant-type:oob'
const json = { 'Content-Type': 'application/json' }
const tokenHeaders = { ...json, 'Cache-Control': 'no-store', Pragma: 'no-cache' }
const tokens = { access_token: 'at', token_type: 'Bearer', expires_in: 3600, scope: 'openid profile' }
const push = {
  oob_code: 'Gk4Yp2sQfB0vZr9mWcE1xTnH3uJdLa7K',
  expires_in: 300,
  interval: 5,
  channel: 'push',
  binding_method: 'none',
}
const TRANSFER_RULE = '(binding_code is present exactly when binding_method is transfer)'

type Options = { profile?: Profile; basicAuthUsed?: boolean }
const messages = (id: OperationId, res: WireResponse, opts?: Options) =>
  contract.validateResponse(id, res, opts).map((p) => p.message)

describe('loadContract', () => {
  it('loads spec/openapi.yaml once and shares it', () => {
    expect(loadContract()).toBe(contract)
    expect(contract.document.openapi).toBe('3.1.0')
  })

  it('maps operationIds to the Okta org paths', () => {
    expect(contract.operation('oobAuthenticate'))
      .toEqual({ method: 'post', path: '/oauth2/v1/oob-authenticate' })
    expect(contract.operation('primaryAuthenticate').path).toBe('/oauth2/v1/primary-authenticate')
    expect(contract.operation('token').path).toBe('/oauth2/v1/token')
  })

  it('compiles every documented request and response schema under both profiles', () => {
    for (const id of ['oobAuthenticate', 'primaryAuthenticate', 'token'] as const) {
      for (const profile of ['okta', 'rfc'] as const) {
        expect(() => contract.validateRequest(id, {}, { profile })).not.toThrow()
        for (const status of contract.documentedStatuses(id, profile)) {
          const res = { status, headers: json, body: {} }
          expect(() => contract.validateResponse(id, res, { profile })).not.toThrow()
        }
      }
    }
  })
})

describe('createContract', () => {
  it('rejects a document that is not OpenAPI 3.1', () => {
    expect(() => createContract({ openapi: '3.0.3', paths: {} })).toThrow(
      expect.objectContaining({ code: 'ERR_SPEC_INVALID' }))
  })

  it('rejects a spec that lacks one of the operations', () => {
    const paths = structuredClone(contract.document.paths) as Record<string, unknown>
    delete paths['/oauth2/v1/token']
    expect(() => createContract({ ...contract.document, paths })).toThrow(/lacks the operation\(s\) token/)
  })

  it('reports a schema that does not compile, naming its location', () => {
    const doc = structuredClone(contract.document) as unknown as {
      components: { schemas: { TokenResponse: { properties: { expires_in: { type: string } } } } }
    }
    doc.components.schemas.TokenResponse.properties.expires_in.type = 'integr'
    const broken = createContract(doc)
    try {
      broken.validateResponse('token', { status: 200, headers: tokenHeaders, body: tokens })
      expect.unreachable()
    } catch (e) {
      expect(isOobConformanceError(e, 'ERR_SPEC_INVALID')).toBe(true)
      expect((e as Error).message).toContain('/paths/~1oauth2~1v1~1token/post/responses/200')
    }
  })
})

describe('documentedStatuses', () => {
  it('lists the statuses of each profile, and their union without one', () => {
    expect(contract.documentedStatuses('token', 'okta')).toEqual([200, 400, 401, 403, 429, 500, 503])
    expect(contract.documentedStatuses('token', 'rfc')).toEqual([200, 400, 401, 429, 500, 503])
    expect(contract.documentedStatuses('token')).toEqual([200, 400, 401, 403, 429, 500, 503])
    // CIBA Core §13: access_denied with 403 for the authentication request, under either profile.
    expect(contract.documentedStatuses('primaryAuthenticate', 'rfc')).toEqual([200, 400, 401, 403, 429, 500, 503])
  })
})

describe('errorCodes', () => {
  it('answers per operation, status and profile from the spec', () => {
    expect(contract.errorCodes('token', 400, 'rfc')).toContain('expired_token')
    expect(contract.errorCodes('token', 400, 'okta')).not.toContain('expired_token')
    expect(contract.errorCodes('token', 400)).toEqual(contract.errorCodes('token', 400, 'okta'))
    expect(contract.errorCodes('token', 400, 'okta')).toEqual(expect.arrayContaining(
      ['authorization_pending', 'slow_down', 'invalid_grant', 'access_denied', 'invalid_request']))
    expect(contract.errorCodes('token', 403, 'okta')).toEqual(['access_denied', 'mfa_required'])
    expect(contract.errorCodes('token', 403, 'rfc')).toEqual([])
    expect(contract.errorCodes('token', 401)).toEqual(['invalid_client'])
    expect(contract.errorCodes('primaryAuthenticate', 429)).toEqual(['invalid_grant'])
    expect(contract.errorCodes('token', 200)).toEqual([])
    expect(contract.errorCodes('token', 418)).toEqual([])
  })

  it('returns a copy the caller may change', () => {
    contract.errorCodes('token', 401).push('oops')
    expect(contract.errorCodes('token', 401)).toEqual(['invalid_client'])
  })
})

describe('requestParameters', () => {
  it('describes the token request, with scope required only under okta', () => {
    const okta = contract.requestParameters('token')
    expect(okta.find((p) => p.name === 'grant_type'))
      .toEqual({ name: 'grant_type', required: true, const: OOB_GRANT })
    expect(okta.find((p) => p.name === 'scope')?.required).toBe(true)
    expect(contract.requestParameters('token', 'rfc').find((p) => p.name === 'scope')?.required).toBe(false)
    expect(okta.map((p) => p.name)).toEqual(expect.arrayContaining(
      ['oob_code', 'binding_code', 'grant_types_supported', 'client_id', 'client_secret']))
  })

  it('makes challenge_hint required on primaryAuthenticate only', () => {
    const param = (id: OperationId, name: string) =>
      contract.requestParameters(id).find((p) => p.name === name)
    expect(param('primaryAuthenticate', 'challenge_hint'))
      .toEqual({ name: 'challenge_hint', required: true, const: OOB_GRANT })
    expect(param('oobAuthenticate', 'challenge_hint')?.required).toBe(false)
    expect(param('oobAuthenticate', 'channel_hint'))
      .toEqual({ name: 'channel_hint', required: true, enum: ['push', 'sms', 'voice', 'email'] })
  })
})

describe('validateRequest', () => {
  const poll = { client_id: 'oob-public-client', grant_type: OOB_GRANT, oob_code: 'abc', scope: 'openid' }

  it('accepts a poll and tolerates unknown parameters (RFC 6749 §3.2)', () => {
    expect(contract.validateRequest('token', { ...poll, acr_values: 'urn:x' })).toEqual([])
  })

  it('treats an empty value as an omitted parameter', () => {
    expect(contract.validateRequest('token', { ...poll, scope: '' })).toEqual([{
      where: 'body',
      pointer: '/scope',
      message: 'body /scope: is required but missing (Okta requires scope for this grant)',
    }])
    expect(contract.validateRequest('token', { ...poll, scope: '' }, { profile: 'rfc' })).toEqual([])
  })

  it('names a wrong grant_type and a malformed scope', () => {
    const form = { ...poll, grant_type: 'password', scope: 'openid  profile' }
    expect(contract.validateRequest('token', form)).toEqual([
      {
        where: 'body',
        pointer: '/grant_type',
        message: `body /grant_type: must be "${OOB_GRANT}" (got "password")`,
      },
      {
        where: 'body',
        pointer: '/scope',
        message: 'body /scope: must be space-delimited tokens (RFC 6749 §3.3 scope syntax)',
      },
    ])
  })

  it('requires challenge_hint on primaryAuthenticate but not on oobAuthenticate', () => {
    const legacy = { client_id: 'oob-public-client', login_hint: 'push@example.test', channel_hint: 'push' }
    expect(contract.validateRequest('oobAuthenticate', legacy)).toEqual([])
    expect(contract.validateRequest('primaryAuthenticate', legacy).map((p) => p.pointer))
      .toEqual(['/challenge_hint'])
    expect(contract.validateRequest('oobAuthenticate', { ...legacy, channel_hint: 'fax' })[0]?.message)
      .toBe('body /channel_hint: must be one of "push", "sms", "voice", "email" (got "fax")')
  })
})

describe('validateResponse: status and content type', () => {
  it('accepts a conforming token response, content-type parameters and header names in any case', () => {
    const headers = {
      'content-type': 'application/json;charset=UTF-8',
      'cache-control': 'no-cache, No-Store',
      pragma: 'no-cache',
    }
    expect(contract.validateResponse('token', { status: 200, headers, body: tokens })).toEqual([])
  })

  it('accepts token_type in any case, and DPoP', () => {
    const withType = (tokenType: string) =>
      messages('token', { status: 200, headers: tokenHeaders, body: { ...tokens, token_type: tokenType } })
    for (const tokenType of ['bearer', 'BEARER', 'DPoP', 'dpop']) expect(withType(tokenType)).toEqual([])
    expect(withType('mac')).toEqual(['body /token_type: must be Bearer or DPoP, in any case'])
  })

  it('reports an undocumented status; 500 and 503 are documented, in either error shape', () => {
    expect(contract.validateResponse('token', { status: 502, headers: json, body: {} })).toEqual([{
      where: 'status',
      message: 'status 502 is not documented for token (documented: 200, 400, 401, 403, 429, 500, 503)',
    }])
    expect(messages('token', { status: 503, headers: { ...json, 'retry-after': '2' },
      body: { error: 'temporarily_unavailable' } })).toEqual([])
    expect(messages('token', { status: 500, headers: json,
      body: { errorCode: 'E0000009', errorSummary: 'Internal Server Error' } })).toEqual([])
  })

  it('says when a status belongs to the other profile', () => {
    const expired = { status: 403, headers: json, body: { error: 'access_denied' } }
    expect(messages('token', expired, { profile: 'okta' })).toEqual([])
    expect(messages('token', expired, { profile: 'rfc' })).toEqual(
      ['status 403 is documented for token only under profile okta, not rfc'])
  })

  it('reports a missing or wrong Content-Type and still checks the body', () => {
    const pending = { error: 'authorization_pending' }
    expect(contract.validateResponse('token', { status: 400, headers: {}, body: pending })).toEqual([
      { where: 'content-type', message: 'Content-Type is missing (expected application/json)' },
    ])
    const html = { status: 400, headers: { 'Content-Type': 'text/html' }, body: '<h1>oops</h1>' }
    expect(messages('token', html)).toEqual([
      'Content-Type is text/html (expected application/json)',
      'body: must be an object (got string)',
    ])
  })
})

describe('validateResponse: headers', () => {
  it('requires Cache-Control: no-store and Pragma: no-cache on tokens (RFC 6749 §5.1)', () => {
    expect(contract.validateResponse('token', { status: 200, headers: json, body: tokens })).toEqual([
      { where: 'header', message: 'header Cache-Control is required but missing' },
      { where: 'header', message: 'header Pragma is required but missing' },
    ])
    const cacheable = { status: 200, headers: { ...tokenHeaders, 'Cache-Control': 'no-cache' }, body: tokens }
    expect(messages('token', cacheable)).toEqual(
      ['header Cache-Control: must be a Cache-Control value with the no-store directive (got "no-cache")'])
  })

  it('only recommends them elsewhere, but checks them when present', () => {
    expect(messages('primaryAuthenticate', { status: 200, headers: json, body: push })).toEqual([])
    const pragma = { status: 200, headers: { ...json, Pragma: 'public' }, body: push }
    expect(messages('primaryAuthenticate', pragma))
      .toEqual(['header Pragma: must be a Pragma value with no-cache (got "public")'])
  })

  it('requires WWW-Authenticate on 401 only after client_secret_basic (RFC 6749 §5.2)', () => {
    const res = { status: 401, headers: json, body: { error: 'invalid_client' } }
    expect(messages('token', res)).toEqual([])
    expect(messages('token', res, { basicAuthUsed: true })).toEqual(
      ['header WWW-Authenticate is missing; it is required after client_secret_basic authentication'])
    const basic = { ...res, headers: { ...json, 'WWW-Authenticate': 'Basic realm="oob"' } }
    expect(messages('token', basic, { basicAuthUsed: true })).toEqual([])
    const bearer = { ...res, headers: { ...json, 'WWW-Authenticate': 'Bearer' } }
    expect(messages('token', bearer, { basicAuthUsed: true })).toEqual(
      ['header WWW-Authenticate: must be a challenge list offering the Basic scheme (got "Bearer")'])
  })

  it('checks the rate-limit headers of a 429', () => {
    const headers = { ...json, 'Retry-After': 'soon', 'X-Rate-Limit-Reset': '1767225600' }
    expect(messages('token', { status: 429, headers, body: { error: 'invalid_grant' } }))
      .toEqual(['header Retry-After: must be delay-seconds or an IMF-fixdate (got "soon")'])
  })
})

describe('validateResponse: bodies', () => {
  const init = (body: object, profile: Profile = 'okta') =>
    messages('primaryAuthenticate', { status: 200, headers: json, body }, { profile })
  const { interval: _, ...noInterval } = push

  it('accepts every channel with its binding method, and unknown members', () => {
    expect(init(push)).toEqual([])
    expect(init({ ...push, binding_method: 'transfer', binding_code: '42', extra: { any: 1 } })).toEqual([])
    for (const channel of ['sms', 'voice', 'email']) {
      expect(init({ ...noInterval, channel, binding_method: 'prompt' })).toEqual([])
    }
  })

  it('enforces interval: absent for prompt, required for polling under okta only', () => {
    expect(init({ ...push, channel: 'sms', binding_method: 'prompt' })).toEqual([
      'body /interval: must be absent ' +
        '(a prompt transaction has no interval, because the client must not poll it)',
    ])
    expect(init(noInterval)).toEqual([
      'body /interval: is required but missing ' +
        '(Okta returns interval for every transaction the client polls)',
    ])
    expect(init(noInterval, 'rfc')).toEqual([])
  })

  it('enforces binding_code if and only if transfer, as a string', () => {
    expect(init({ ...push, binding_method: 'transfer' }))
      .toEqual([`body /binding_code: is required but missing ${TRANSFER_RULE}`])
    expect(init({ ...push, binding_code: '42' }))
      .toEqual([`body /binding_code: must be absent ${TRANSFER_RULE}`])
    expect(init({ ...push, binding_method: 'transfer', binding_code: 95 }))
      .toEqual(['body /binding_code: must be a string (got integer)'])
  })

  it('ties the binding method to the channel', () => {
    expect(init({ ...push, binding_method: 'prompt' })).toEqual(expect.arrayContaining([
      'body /binding_method: must be one of "none", "transfer" (got "prompt") ' +
        '(a push is bound by none or transfer, every other channel by prompt)',
    ]))
  })

  it('names missing members and numbers out of range', () => {
    expect(init({ ...push, oob_code: '', expires_in: 0 })).toEqual([
      'body /oob_code: must be an opaque code of visible ASCII characters (RFC 6749 Appendix A.11)',
      'body /expires_in: must be >= 1 (got 0)',
    ])
    const { oob_code: __, ...noCode } = push
    expect(init(noCode)).toEqual(['body /oob_code: is required but missing'])
  })

  it('checks the error code against the profile and says which profile has it', () => {
    const expired = { status: 400, headers: json, body: { error: 'expired_token' } }
    const okta = contract.errorCodes('token', 400, 'okta').map((c) => `"${c}"`).join(', ')
    expect(messages('token', expired, { profile: 'rfc' })).toEqual([])
    expect(messages('token', expired, { profile: 'okta' })).toEqual([
      `body /error: must be one of ${okta} (got "expired_token") — ` +
        '"expired_token" is documented only under profile rfc',
    ])
  })

  it('checks error_description against the RFC 6749 §5.2 character set without echoing it', () => {
    const body = { error: 'invalid_grant', error_description: 'say "hi"' }
    expect(messages('token', { status: 400, headers: json, body })).toEqual([
      'body /error_description: must be text in the RFC 6749 §5.2 character set ' +
        '(printable ASCII without " and \\)',
    ])
  })

  it('accepts both 429 shapes and explains a body that fits neither', () => {
    const limited = (body: unknown) => messages('token', { status: 429, headers: json, body })
    expect(limited({ error: 'invalid_grant', error_description: 'API call exceeded the rate limit.' }))
      .toEqual([])
    expect(limited({ errorCode: 'E0000047', errorSummary: 'Too many requests', errorCauses: [] })).toEqual([])
    expect(limited({ message: 'slow down' })).toEqual([
      'body /error: is required but missing',
      'body /errorCode: is required but missing',
      'body /errorSummary: is required but missing',
      'body: matches none of the allowed shapes (see the problems above)',
    ])
  })
})

describe('validateResponse: speed', () => {
  it('measures µs per call on a token 400 and a token 200 (printed, not asserted)', () => {
    const pending = { error: 'authorization_pending', error_description: 'wait' }
    const cases: [string, WireResponse][] = [
      ['token 400', { status: 400, headers: json, body: pending }],
      ['token 200', { status: 200, headers: tokenHeaders, body: tokens }],
    ]
    for (const [name, res] of cases) {
      expect(contract.validateResponse('token', res)).toEqual([])
      const runs = 20_000
      const start = performance.now()
      for (let i = 0; i < runs; i++) contract.validateResponse('token', res)
      const micros = ((performance.now() - start) * 1000) / runs
      console.log(`validateResponse(${name}): ${micros.toFixed(2)} µs/call`)
    }
  })
})
