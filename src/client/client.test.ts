import { describe, it, expect } from 'vitest'
import { OobFlowClient, OobClientError, type OobFlowClientOptions } from './index.js'

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'network-error'

interface Sent {
  at: number
  url: string
  headers: Headers
  params: URLSearchParams
}

/** A scripted server on a fake clock: each request takes the next reply; time moves only when the client
 * sleeps. */
function scripted(replies: Reply[], options: Partial<OobFlowClientOptions> = {}) {
  let clock = 0
  const sent: Sent[] = []
  const fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    sent.push({ at: clock, url: String(url), headers: new Headers(init?.headers),
      params: new URLSearchParams(String(init?.body)) })
    const reply = replies.shift()
    if (reply === undefined) throw new Error('the script has no reply left')
    if (reply === 'network-error') throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })
    return new Response(reply.body === undefined ? '' : JSON.stringify(reply.body),
      { status: reply.status, headers: { 'Content-Type': 'application/json', ...reply.headers } })
  }
  const client = new OobFlowClient({
    issuer: 'https://org.example.test',
    clientId: 'client 1',
    fetch: fetch as typeof globalThis.fetch,
    now: () => clock,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted()
      clock += ms
    },
    ...options,
  })
  const polls = () => sent.filter((s) => s.url.endsWith('/token'))
  const gaps = () => polls().map((p, i, all) => (i === 0 ? p.at - sent[0]!.at : p.at - all[i - 1]!.at) / 1000)
  return { client, sent, polls, gaps }
}

const start = (body: Record<string, unknown> = {}): Reply => ({
  status: 200,
  body: {
    oob_code: 'code-1', expires_in: 300, interval: 1, channel: 'push', binding_method: 'none', ...body,
  },
})
const pending: Reply = { status: 400, body: { error: 'authorization_pending' } }
const slowDown: Reply = { status: 400, body: { error: 'slow_down' } }
const tokens = (body: Record<string, unknown> = {}): Reply => ({
  status: 200, body: { token_type: 'Bearer', access_token: 'at', expires_in: 3600, scope: 'openid', ...body },
})
const push = { loginHint: 'zoë+push@example.test', channel: 'push' as const }

async function rejection(promise: Promise<unknown>): Promise<OobClientError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(OobClientError)
  return error as OobClientError
}

describe('OobFlowClient requests', () => {
  it('starts with a form POST to /primary-authenticate carrying the hints, then polls /token', async () => {
    const { client, sent } = scripted([start(), pending, tokens()])
    await client.signIn(push)
    const [init, poll] = sent
    expect(init!.url).toBe('https://org.example.test/oauth2/v1/primary-authenticate')
    expect(init!.headers.get('content-type')).toBe('application/x-www-form-urlencoded')
    expect(init!.headers.get('accept')).toBe('application/json')
    expect(Object.fromEntries(init!.params)).toEqual({
      client_id: 'client 1', login_hint: 'zoë+push@example.test', channel_hint: 'push',
      challenge_hint: 'urn:okta:params:oauth:grant-type:oob',
    })
    expect(poll!.url).toBe('https://org.example.test/oauth2/v1/token')
    expect(Object.fromEntries(poll!.params)).toEqual({
      client_id: 'client 1', grant_type: 'urn:okta:params:oauth:grant-type:oob', oob_code: 'code-1',
      scope: 'openid profile',
    })
  })

  it('percent-encodes as UTF-8 form data (+ and non-ASCII included)', async () => {
    const { client, sent } = scripted([start(), tokens()])
    await client.signIn(push)
    expect(String(sent[0]!.params)).toContain('login_hint=zo%C3%AB%2Bpush%40example.test')
  })

  it('uses a custom authorization server’s paths, and no challenge_hint at /oob-authenticate', async () => {
    const { client, sent } = scripted([start(), tokens()],
      { issuer: 'https://org.example.test/oauth2/default/', initiation: 'oob-authenticate' })
    await client.signIn(push)
    expect(sent.map((s) => s.url)).toEqual([
      'https://org.example.test/oauth2/default/v1/oob-authenticate',
      'https://org.example.test/oauth2/default/v1/token',
    ])
    expect(sent[0]!.params.has('challenge_hint')).toBe(false)
  })

  it.each([
    ['none', undefined, null, null],
    ['client_secret_post', 's3cret', 's3cret', null],
    ['client_secret_basic', 's3cret', null, `Basic ${Buffer.from('client+1:s3cret').toString('base64')}`],
  ] as const)('authenticates with one method: %s', async (authMethod, clientSecret, inBody, basic) => {
    const { client, sent } = scripted([start(), tokens()],
      { authMethod, ...(clientSecret !== undefined && { clientSecret }) })
    await client.signIn(push)
    for (const request of sent) {
      expect(request.headers.get('authorization')).toBe(basic)
      expect(request.params.get('client_id')).toBe('client 1')
      expect(request.params.get('client_secret')).toBe(inBody)
    }
  })

  it('refuses a secret-based method without a secret', () => {
    const options = { issuer: 'https://a.test', clientId: 'c', authMethod: 'client_secret_post' } as const
    expect(() => new OobFlowClient(options)).toThrow(/needs a clientSecret/)
  })
})

describe('OobFlowClient polling', () => {
  it('waits interval from each send before the next poll, the first one included', async () => {
    const { client, gaps } = scripted([start({ interval: 2 }), pending, pending, tokens()])
    const result = await client.signIn(push)
    expect(result).toEqual({ tokenType: 'Bearer', accessToken: 'at', expiresIn: 3600, scope: 'openid' })
    expect(gaps()).toEqual([2, 2, 2])
  })

  it('polls every 5 s when the start response has no interval', async () => {
    const { client, gaps } = scripted([start({ interval: undefined }), pending, tokens()])
    await client.signIn(push)
    expect(gaps()).toEqual([5, 5])
  })

  it('adds 5 s after each slow_down, for every later poll', async () => {
    const { client, gaps } = scripted([start(), pending, slowDown, pending, slowDown, pending, tokens()])
    await client.signIn(push)
    expect(gaps()).toEqual([1, 1, 6, 6, 11, 11])
  })

  it.each([
    [{ status: 400, body: { error: 'access_denied', error_description: 'denied' } }, 'access_denied'],
    [{ status: 403, body: { error: 'access_denied' } }, 'access_denied'],
    [{ status: 400, body: { error: 'expired_token' } }, 'expired_token'],
    [{ status: 400, body: { error: 'invalid_request' } }, 'invalid_request'],
    [{ status: 400, body: { error: 'something_new' } }, 'something_new'],
    [{ status: 400, body: { errorCode: 'E0000001', errorSummary: 'Api validation failed' } }, 'E0000001'],
  ])('stops at the first terminal answer and surfaces its error (%j)', async (reply, error) => {
    const { client, polls } = scripted([start(), pending, reply])
    const e = await rejection(client.signIn(push))
    expect(e).toMatchObject({ code: 'ERR_OAUTH_ERROR', error, status: reply.status })
    expect(polls()).toHaveLength(2)
  })

  it('stops polling at expires_in without sending a poll that would come too late', async () => {
    const { client, polls } = scripted([start({ expires_in: 3 }), pending, pending, pending])
    const e = await rejection(client.signIn(push))
    expect(e.code).toBe('ERR_OOB_EXPIRED')
    expect(polls()).toHaveLength(2)
  })

  it('waits as long as a 429 asks, whatever its error body, then carries on', async () => {
    const { client, gaps } = scripted([start(), pending,
      { status: 429, body: { error: 'invalid_grant' }, headers: { 'Retry-After': '4' } }, pending, tokens()])
    await client.signIn(push)
    expect(gaps()).toEqual([1, 1, 4, 1])
  })

  it('backs off exponentially on 5xx and connection failures, and recovers its interval after', async () => {
    const oktaError = { errorCode: 'E0000009', errorSummary: 'Internal Server Error' }
    const { client, gaps } = scripted([start(), pending, { status: 503 },
      'network-error', { status: 500, body: oktaError }, pending, tokens()])
    await client.signIn(push)
    expect(gaps()).toEqual([1, 1, 2, 4, 8, 1])
  })

  it('ignores unknown members in every response', async () => {
    const extra = { foo: 1, device_secret: 'x', supported_challenge_types: ['a'] }
    const { client } = scripted([start(extra),
      { status: 400, body: { error: 'authorization_pending', ...extra } },
      tokens({ ...extra, issued_token_type: 'urn:x' })])
    await expect(client.signIn(push)).resolves.toMatchObject({ accessToken: 'at' })
  })

  it('accepts token_type in any case and refuses one it does not understand', async () => {
    await expect(scripted([start(), tokens({ token_type: 'bearer' })]).client.signIn(push))
      .resolves.toMatchObject({ tokenType: 'bearer' })
    const e = await rejection(scripted([start(), tokens({ token_type: 'N_A' })]).client.signIn(push))
    expect(e.code).toBe('ERR_TOKEN_TYPE_UNSUPPORTED')
  })

  it('stops waiting when aborted', async () => {
    const controller = new AbortController()
    const { client, polls } = scripted([start(), pending, pending], {
      sleep: async (_ms, signal) => {
        controller.abort()
        signal?.throwIfAborted()
      },
    })
    const e = await rejection(client.signIn({ ...push, signal: controller.signal }))
    expect(e.code).toBe('ERR_ABORTED')
    expect(polls()).toHaveLength(0)
  })
})

describe('OobFlowClient binding methods', () => {
  it('prompt: sends the typed code exactly as typed, once, without polling', async () => {
    const { client, polls } = scripted([
      start({ interval: undefined, channel: 'sms', binding_method: 'prompt' }), tokens()])
    await client.signIn({
      loginHint: 'sms@example.test', channel: 'sms', readBindingCode: async () => ' 12 34 ',
    })
    expect(polls()).toHaveLength(1)
    expect(polls()[0]!.params.get('binding_code')).toBe(' 12 34 ')
  })

  it('prompt: needs a way to ask the user for the code', async () => {
    const { client } = scripted([start({ binding_method: 'prompt' })])
    expect((await rejection(client.signIn(push))).code).toBe('ERR_USAGE')
  })

  it('transfer: shows the number and polls without sending it', async () => {
    const shown: string[] = []
    const { client, polls } = scripted([
      start({ binding_method: 'transfer', binding_code: '73' }), pending, tokens()])
    await client.signIn({ ...push, onBindingCode: (code) => shown.push(code) })
    expect(shown).toEqual(['73'])
    expect(polls().map((p) => p.params.has('binding_code'))).toEqual([false, false])
  })

  it('transfer without binding_code: fails before polling', async () => {
    const { client, polls } = scripted([start({ binding_method: 'transfer' })])
    const e = await rejection(client.signIn({ ...push, onBindingCode: () => {} }))
    expect(e.code).toBe('ERR_BINDING_CODE_MISSING')
    expect(polls()).toHaveLength(0)
  })

  it('refuses an unknown binding_method', async () => {
    const { client } = scripted([start({ binding_method: 'carrier-pigeon' })])
    expect((await rejection(client.signIn(push))).code).toBe('ERR_INVALID_RESPONSE')
  })
})
