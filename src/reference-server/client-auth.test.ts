import { describe, it, expect } from 'vitest'
import { OOB_CHALLENGE_HINT, OOB_GRANT_TYPE } from '../protocol/index.js'
import {
  basic, CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, harness, PRIMARY, PUBLIC_CLIENT, TOKEN, type Form, type Harness,
} from './harness.js'

const CHALLENGE = 'Basic realm="oob-conformance"'
const CONFIDENTIAL_BASIC = basic(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET)
const ASSERTION = {
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  client_assertion: 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln',
}

interface Credentials {
  form: Form
  authorization?: string
}

/** A request with `credentials` to each endpoint, and what it answers once the client is authenticated. */
const ENDPOINTS = {
  initiation: {
    send: (h: Harness, c: Credentials) => h.post(PRIMARY, {
      login_hint: 'push@example.test', channel_hint: 'push', challenge_hint: OOB_CHALLENGE_HINT, ...c.form,
    }, c.authorization === undefined ? {} : { Authorization: c.authorization }),
    passed: { status: 200 },
  },
  token: {
    send: (h: Harness, c: Credentials) => h.post(TOKEN, {
      grant_type: OOB_GRANT_TYPE, oob_code: 'unknown', scope: 'openid', ...c.form,
    }, c.authorization === undefined ? {} : { Authorization: c.authorization }),
    passed: { status: 400, body: { error: 'invalid_grant' } },
  },
}

const PASSES: Array<[string, Credentials]> = [
  ['public client, method none', { form: { client_id: PUBLIC_CLIENT } }],
  ['confidential client, client_secret_post', {
    form: { client_id: CONFIDENTIAL_CLIENT, client_secret: CONFIDENTIAL_SECRET },
  }],
  ['confidential client, client_secret_basic', { form: {}, authorization: CONFIDENTIAL_BASIC }],
  ['client_secret_basic with a matching client_id in the body', {
    form: { client_id: CONFIDENTIAL_CLIENT }, authorization: CONFIDENTIAL_BASIC,
  }],
  // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
  ['client_secret_basic with form-encoded parts', {
    form: {}, authorization: basic('oob%2Dconfidential%2Dclient', 'oob%2Dconfidential%2Dsecret'),
  }],
  ['a lower-case scheme name', {
    form: {}, authorization: basic(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET).replace('Basic', 'basic'),
  }],
]

const UNAUTHORIZED: Array<[string, Credentials, boolean]> = [
  ['no client at all', { form: {} }, false],
  ['unknown client', { form: { client_id: 'who-knows' } }, false],
  ['wrong secret (post)', { form: { client_id: CONFIDENTIAL_CLIENT, client_secret: 'nope' } }, false],
  ['wrong secret (basic)', { form: {}, authorization: basic(CONFIDENTIAL_CLIENT, 'nope') }, true],
  ['secret of another length',
    { form: { client_id: CONFIDENTIAL_CLIENT, client_secret: CONFIDENTIAL_SECRET + 'x' } }, false],
  ['confidential client without a secret', { form: { client_id: CONFIDENTIAL_CLIENT } }, false],
  ['public client presenting a secret (post)',
    { form: { client_id: PUBLIC_CLIENT, client_secret: 'anything' } }, false],
  ['public client presenting a secret (basic)', { form: {}, authorization: basic(PUBLIC_CLIENT, '') }, true],
  ['a client assertion (no client is registered for it)',
    { form: { client_id: CONFIDENTIAL_CLIENT, ...ASSERTION } }, false],
  ['a malformed Basic header', { form: {}, authorization: 'Basic %%%' }, true],
  ['Basic without a colon', { form: {}, authorization: `Basic ${btoa('x')}` }, true],
  ['Basic with broken percent-encoding', { form: {}, authorization: basic('%zz', 'x') }, true],
  ['another scheme', { form: { client_id: PUBLIC_CLIENT }, authorization: 'Bearer abc' }, true],
]

const BAD_REQUEST: Array<[string, Credentials]> = [
  ['Basic and client_secret in the body', {
    form: { client_secret: CONFIDENTIAL_SECRET }, authorization: CONFIDENTIAL_BASIC,
  }],
  ['client_assertion and client_secret', {
    form: { client_id: CONFIDENTIAL_CLIENT, client_secret: CONFIDENTIAL_SECRET, ...ASSERTION },
  }],
  ['client_assertion and Basic', { form: ASSERTION, authorization: CONFIDENTIAL_BASIC }],
  ['Basic for one client, client_id of another', {
    form: { client_id: PUBLIC_CLIENT }, authorization: CONFIDENTIAL_BASIC,
  }],
]

describe.each(Object.entries(ENDPOINTS))('client authentication at the %s endpoint', (_, endpoint) => {
  it.each(PASSES)('%s → accepted', async (_, credentials) => {
    const h = await harness()
    const res = await endpoint.send(h, credentials)
    expect(res).toMatchObject(endpoint.passed)
  })

  it.each(UNAUTHORIZED)('%s → 401 invalid_client', async (_, credentials, challenged) => {
    const h = await harness()
    const res = await endpoint.send(h, credentials)
    expect(res.status).toBe(401)
    expect(res.body.error).toBe('invalid_client')
    expect(res.headers['content-type']).toBe('application/json')
    // RFC 6749 §5.2: only a client that used the Authorization header is challenged.
    expect(res.headers['www-authenticate']).toBe(challenged ? CHALLENGE : undefined)
  })

  it.each(BAD_REQUEST)('%s → 400 invalid_request', async (_, credentials) => {
    const h = await harness()
    const res = await endpoint.send(h, credentials)
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
  })

  it('client_secret in the query string → 400 invalid_request (RFC 6749 §2.3.1)', async () => {
    const h = await harness()
    const res = await h.agent()
      .post(`${endpoint === ENDPOINTS.token ? TOKEN : PRIMARY}?client_secret=${CONFIDENTIAL_SECRET}`)
      .type('form')
      .send({ client_id: CONFIDENTIAL_CLIENT })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
  })
})

describe('client authentication across the whole flow', () => {
  it('a confidential client redeems with Basic what it started with client_secret_post', async () => {
    const h = await harness()
    const post = { client_id: CONFIDENTIAL_CLIENT, client_secret: CONFIDENTIAL_SECRET }
    const oobCode = await h.start('push@example.test', post)
    await h.control(oobCode, 'approve')
    const res = await h.redeem(oobCode, { client_id: undefined }).set('Authorization', CONFIDENTIAL_BASIC)
    expect(res.status).toBe(200)
  })

  it('other query parameters are ignored', async () => {
    const h = await harness()
    const res = await h.agent()
      .post(`${PRIMARY}?foo=bar&client_id=ignored`)
      .type('form')
      .send({
        client_id: PUBLIC_CLIENT,
        login_hint: 'push@example.test',
        channel_hint: 'push',
        challenge_hint: OOB_CHALLENGE_HINT,
      })
    expect(res.status).toBe(200)
  })
})
