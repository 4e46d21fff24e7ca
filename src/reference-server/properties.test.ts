import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { formBody, OOB_CHALLENGE_HINT, OOB_GRANT_TYPE } from '../protocol/index.js'
import {
  basic, CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, DEPRECATED, harness, NO_GRANT_CLIENT, PRIMARY, PUBLIC_CLIENT,
  sendBytes, TOKEN,
} from './harness.js'

const NUM_RUNS = 400

const PATHS = [
  PRIMARY, DEPRECATED, TOKEN, '/oauth2/default/v1/primary-authenticate', '/oauth2/default/v1/token',
]
const NAMES = [
  'client_id', 'client_secret', 'client_assertion', 'client_assertion_type', 'login_hint', 'channel_hint',
  'challenge_hint', 'scope', 'grant_type', 'oob_code', 'binding_code',
]
const CONTENT_TYPES = [
  'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8',
  'application/x-www-form-urlencoded; charset=latin1', 'application/json', 'text/plain',
  'multipart/form-data', undefined,
]

const printableAscii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map(String.fromCharCode) })

/** Mostly `arbitrary`, sometimes `alternative`: keeps most requests plausible enough to go deep. */
const mostly = <T, U>(arbitrary: fc.Arbitrary<T>, alternative: fc.Arbitrary<U>, weight = 10) =>
  fc.oneof({ weight, arbitrary }, { weight: 1, arbitrary: alternative })

/** A parameter's value: usually a meaningful one, sometimes any text. */
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constant(''))
const value = (...meaningful: string[]) => mostly(fc.constantFrom(...meaningful), anyText, 8)

/** Users with their own channel (mostly), so that initiations can succeed. */
const USERS = [
  ['push@example.test', 'push'], ['number@example.test', 'push'], ['sms@example.test', 'sms'],
  ['voice@example.test', 'voice'], ['email@example.test', 'email'], ['nobody@example.test', 'sms'],
  ['unenrolled@example.test', 'push'], ['push@example.test', 'fax'],
] as const

function request(liveCodes: string[]) {
  const often = <T>(arbitrary: fc.Arbitrary<T>) => mostly(arbitrary, fc.constant(undefined))
  const rarely = <T>(arbitrary: fc.Arbitrary<T>) => mostly(fc.constant(undefined), arbitrary)
  // Mostly a client that authenticates, so that requests reach the endpoint's own logic.
  const credentials = mostly(
    fc.constantFrom(
      { client_id: PUBLIC_CLIENT },
      { client_id: CONFIDENTIAL_CLIENT, client_secret: CONFIDENTIAL_SECRET },
    ),
    fc.record({
      client_id: often(value(PUBLIC_CLIENT, CONFIDENTIAL_CLIENT, NO_GRANT_CLIENT, 'unknown')),
      client_secret: rarely(value(CONFIDENTIAL_SECRET, 'wrong')),
      client_assertion: rarely(value('eyJhbGciOiJIUzI1NiJ9.e30.c2ln')),
    }),
    4,
  )
  const form = fc.record({
    credentials,
    user: often(mostly(fc.constantFrom(...USERS), fc.tuple(value(USERS[0][0]), value(USERS[0][1])))),
    challenge_hint: often(value(OOB_CHALLENGE_HINT, OOB_CHALLENGE_HINT, 'urn:okta:params:oauth:grant-type:otp')),
    scope: often(value('openid', 'openid profile offline_access', 'admin')),
    grant_type: often(value(OOB_GRANT_TYPE, OOB_GRANT_TYPE, OOB_GRANT_TYPE, 'authorization_code')),
    oob_code: often(value(...liveCodes, 'unknown-code')),
    binding_code: often(value('123456', 'ABCDEFGH')),
  })
  // Junk names, and repeats of real ones.
  const name = fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 8 }))
  const extras = rarely(fc.array(fc.tuple(name, value('x')), { minLength: 1, maxLength: 3 }))
  const pairs = fc.tuple(form, extras).map(([{ credentials, user, ...rest }, more]) => [
    ...Object.entries(credentials),
    ['login_hint', user?.[0]],
    ['channel_hint', user?.[1]],
    ...Object.entries(rest),
    ...(more ?? []),
  ] as Array<[string, string | undefined]>)
  const encoder = new TextEncoder()
  const body = mostly(
    // One pair at a time, so that repeated names survive.
    pairs.map((p) => encoder.encode(p.map(([n, v]) => formBody({ [n]: v })).filter(Boolean).join('&'))),
    fc.oneof(
      pairs.map((p) => encoder.encode(JSON.stringify(Object.fromEntries(p)))),
      fc.uint8Array({ maxLength: 300 }),
      fc.string({ unit: 'binary' }).map((s) => encoder.encode(s)),
    ),
  )
  const authorization = rarely(fc.oneof(
    fc.constant(basic(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET)),
    fc.tuple(printableAscii, printableAscii).map(([id, secret]) => basic(id, secret)),
    printableAscii,
  ))
  const query = rarely(fc.array(fc.tuple(name, fc.string()), { maxLength: 3 })
    .map((q) => '?' + formBody(Object.fromEntries(q))))
  return fc.record({
    method: mostly(fc.constant('post' as const), fc.constantFrom('get' as const, 'put' as const)),
    path: fc.constantFrom(...PATHS),
    query,
    contentType: mostly(fc.constant(CONTENT_TYPES[0]), fc.constantFrom(...CONTENT_TYPES)),
    authorization,
    body,
  })
}

describe('property: arbitrary requests', () => {
  it(`never produce a 5xx nor tokens without approval (${NUM_RUNS} runs)`, async () => {
    const h = await harness()
    // Live transactions the generator may name; none is ever approved, so no request may yield tokens.
    const liveCodes = [
      await h.start('push@example.test'),
      await h.start('number@example.test'),
      await h.start('sms@example.test'),
    ]
    await fc.assert(fc.asyncProperty(request(liveCodes), async (r) => {
      let req = h.agent()[r.method](r.path + (r.query ?? ''))
      if (r.contentType !== undefined) req = req.set('Content-Type', r.contentType)
      if (r.authorization !== undefined) req = req.set('Authorization', r.authorization)
      const res = await (r.method === 'get' ? req : sendBytes(req, r.body))
      expect(res.status).toBeLessThan(500)
      expect(res.headers['content-type']).toBe('application/json')
      expect(res.headers['cache-control']).toBe('no-store')
      expect(res.body).not.toHaveProperty('access_token')
      // RFC 6749 §5.2: the characters allowed in error and error_description.
      if (res.status !== 200) {
        expect(res.body.error).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/)
        expect(res.body.error_description ?? '').toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/)
      }
    }), { numRuns: NUM_RUNS })
  })
})
