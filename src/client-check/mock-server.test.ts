import { describe, it, expect, afterEach, beforeAll } from 'vitest'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import type { Profile } from '../profile.js'
import { FORM_MEDIA_TYPE, OOB_GRANT_TYPE } from '../protocol/index.js'
import { startMockServer, type MockServer, type MockServerOptions } from './mock-server.js'
import { SCENARIOS, type PollAnswer, type Scenario } from './scenarios.js'
import { createRunCertificates, type RunCertificates } from './tls.js'
import { fetchTrusting } from './trusting-fetch.js'

const base = SCENARIOS.find((s) => s.name === 'push-approved')!
let server: MockServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

async function mock(changes: Partial<Scenario>, profile: Profile = 'okta', options: MockServerOptions = {},
  fetch = globalThis.fetch) {
  server = await startMockServer({ ...base, ...changes }, profile, options)
  const post = async (path: string, params: Record<string, string>, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server!.url}${path}`, {
      method: 'POST', body: new URLSearchParams(params),
      headers: { 'Content-Type': FORM_MEDIA_TYPE, ...headers },
    })
    return { status: res.status, headers: res.headers, body: await res.json() as Record<string, unknown> }
  }
  const start = (channel = 'push') =>
    post('/oauth2/v1/primary-authenticate', { client_id: 'c', login_hint: 'a@b', channel_hint: channel })
  const poll = (oobCode: string, extra: Record<string, string> = {}) => post('/oauth2/v1/token',
    { grant_type: OOB_GRANT_TYPE, oob_code: oobCode, ...extra })
  return { server, post, start, poll }
}

let certificates: RunCertificates
beforeAll(async () => {
  certificates = await createRunCertificates()
})

describe('the scripted server', () => {
  it('answers the initiation as scripted, with an opaque code in CIBA’s character set', async () => {
    const transfer = { expiresIn: 60, interval: 1, bindingMethod: 'transfer', bindingCode: '73' } as const
    const { start } = await mock({ start: transfer })
    const { status, body, headers } = await start()
    expect(status).toBe(200)
    expect(body).toMatchObject({ expires_in: 60, interval: 1, channel: 'push', binding_method: 'transfer',
      binding_code: '73' })
    expect(body.oob_code).toMatch(/^[A-Za-z0-9._-]{40,}$/)
    expect(headers.get('cache-control')).toBe('no-store')
  })

  it('answers polls from the script, repeats its last answer, records arrival and answer times', async () => {
    const { start, poll, server } = await mock({ polls: [{ kind: 'pending' }, { kind: 'slow_down' }] })
    const code = (await start()).body.oob_code as string
    const errors = []
    for (let i = 0; i < 3; i++) errors.push((await poll(code)).body.error)
    expect(errors).toEqual(['authorization_pending', 'slow_down', 'slow_down'])
    const [init, ...polls] = server.requests
    expect(init!.oobCode).toBe(code)
    expect(polls.map((r) => [r.endpoint, r.oobCode, r.answer.kind])).toEqual([
      ['token', code, 'pending'], ['token', code, 'slow_down'], ['token', code, 'slow_down']])
    for (const r of server.requests) {
      expect(r.earliestArrival).toBeLessThanOrEqual(r.arrivedAt)
      expect(r.answeredAt).toBeGreaterThanOrEqual(r.arrivedAt)
    }
  })

  it.each([['okta', 403, 'access_denied'], ['rfc', 400, 'invalid_grant']] as const)(
    'after tokens, answers a reuse with the %s profile’s error', async (profile, status, error) => {
      const { start, poll, server } = await mock({ polls: [{ kind: 'tokens' }] }, profile)
      const code = (await start()).body.oob_code as string
      expect((await poll(code)).body.token_type).toBe('Bearer')
      expect(await poll(code)).toMatchObject({ status, body: { error } })
      expect(server.requests.map((r) => r.answer.final)).toEqual([false, true, false])
    })

  it.each([['okta', 403, 'access_denied'], ['rfc', 400, 'expired_token']] as const)(
    'answers an expired code with the %s error, ending the flow', async (profile, status, error) => {
      const { start, poll, server } = await mock({ polls: [{ kind: 'expired' }] }, profile)
      const code = (await start()).body.oob_code as string
      expect(await poll(code)).toMatchObject({ status, body: { error } })
      await expect(server.final).resolves.toBeGreaterThan(0)
    })

  it('answers a prompt poll without binding_code like a wrong code, ending the flow', async () => {
    const { start, poll } =
      await mock({ start: { expiresIn: 60, bindingMethod: 'prompt' }, polls: [{ kind: 'tokens' }] })
    const code = (await start()).body.oob_code as string
    expect(await poll(code)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
    expect(await poll(code, { binding_code: '1' }))
      .toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
  })

  it.each([
    ['okta', { kind: 'rate-limited', seconds: 3, shape: 'oauth' }, ['retry-after', 'x-rate-limit-reset'],
      'error'],
    ['rfc', { kind: 'rate-limited', seconds: 3, shape: 'oauth' }, ['retry-after'], 'error'],
    ['okta', { kind: 'rate-limited', seconds: 2, shape: 'okta' }, ['x-rate-limit-reset'], 'errorCode'],
  ] as const)('429 under %s, %j', async (profile, answer, named, member) => {
    const { start, poll, server } = await mock({ polls: [answer as PollAnswer] }, profile)
    const code = (await start()).body.oob_code as string
    const res = await poll(code)
    expect(res.status).toBe(429)
    expect(['retry-after', 'x-rate-limit-reset'].filter((h) => res.headers.has(h))).toEqual(named)
    expect(res.body).toHaveProperty(member)
    const { answer: answered, answeredAt } = server.requests[1]!
    // The earliest named time: Retry-After counts from the answer, X-Rate-Limit-Reset is a whole epoch
    // second.
    expect(answered.retryAt! - answeredAt).toBeGreaterThanOrEqual(answer.seconds * 1000 - 50)
    expect(answered.retryAt! - answeredAt).toBeLessThanOrEqual(answer.seconds * 1000 + 1005)
  })

  it('names the time of a 429 as an HTTP date in Retry-After alone when scripted to', async () => {
    const answer: PollAnswer = { kind: 'rate-limited', seconds: 3, shape: 'oauth', retryAfter: 'date' }
    const { start, poll, server } = await mock({ polls: [answer] }, 'okta')
    const code = (await start()).body.oob_code as string
    const sent = Date.now()
    const res = await poll(code)
    const received = Date.now()
    expect(res.headers.has('x-rate-limit-reset')).toBe(false)
    const retryAfter = res.headers.get('retry-after')!
    expect(retryAfter).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/)
    // Whole seconds: 3 s after the second the answer was written in began, at the latest.
    const at = Date.parse(retryAfter)
    expect(at).toBeGreaterThan(sent + 2000)
    expect(at).toBeLessThanOrEqual(received + 4000)
    const { answer: answered, answeredAt } = server.requests[1]!
    expect(answered.retryAt! - answeredAt).toBeGreaterThanOrEqual(at - received - 50)
    expect(answered.retryAt! - answeredAt).toBeLessThanOrEqual(at - sent + 50)
  })

  it('keeps a flow going on authorization_pending whatever the status, ends it on other codes', async () => {
    const { start, poll, server } = await mock({ polls: [
      { kind: 'error', status: 403, error: 'authorization_pending', description: 'Not yet.' },
      { kind: 'error', status: 400, error: 'authenticator_locked', description: 'Locked.' }] })
    const code = (await start()).body.oob_code as string
    expect(await poll(code)).toMatchObject({ status: 403, body: { error: 'authorization_pending' } })
    await poll(code)
    expect(server.requests.slice(1).map((r) => r.answer.final)).toEqual([false, true])
  })

  it('holds a slow answer back, and records a client that gave up waiting for it', async () => {
    const slow = (seconds: number): PollAnswer => ({ kind: 'slow', seconds, answer: { kind: 'pending' } })
    const { start, poll, server } = await mock({ polls: [slow(0.3), slow(2)] })
    const code = (await start()).body.oob_code as string
    expect((await poll(code)).body.error).toBe('authorization_pending')
    const waited = server.requests[1]!
    expect(waited.answer).toMatchObject({ kind: 'pending', heldMs: 300 })
    expect(waited.answer.abandonedAt).toBeUndefined()
    expect(waited.answeredAt - waited.arrivedAt).toBeGreaterThanOrEqual(290)

    const gaveUp = fetch(`${server.url}/oauth2/v1/token`, { method: 'POST',
      body: new URLSearchParams({ grant_type: OOB_GRANT_TYPE, oob_code: code }),
      signal: AbortSignal.timeout(50) })
    await expect(gaveUp).rejects.toThrow()
    await new Promise((resolve) => setTimeout(resolve, 2100))
    const abandoned = server.requests[2]!
    expect(abandoned.answer.abandonedAt! - abandoned.arrivedAt).toBeLessThan(1500)
    expect(abandoned.answeredAt).toBe(abandoned.answer.abandonedAt)
    expect(abandoned.exchange.error).toMatch(/^the client closed the connection [\d.]+ s after sending/)
    expect(abandoned.exchange.response).toBeUndefined()
  })

  it('records how long the client waited for a CPU before each request, never less than nothing', async () => {
    // 100 ms more at every reading (when a connection is accepted, and at each request), 0 once it exited.
    let readings = 0
    let exited = false
    const { start, poll } = await mock({}, 'okta', { clientRunQueueWaitMs: () => (exited ? 0 : ++readings * 100) })
    const code = (await start()).body.oob_code as string
    await poll(code)
    exited = true
    await poll(code)
    // The first request on a connection: since it was accepted (not the client's start-up before it); later
    // ones since the previous request; a process that exited took its wait with it: nothing.
    expect(server!.requests.map((r) => r.clientStallMs)).toEqual([100, 100, 0])
  })

  it('answers userinfo for an access token it issued, whatever the scheme, and 401 otherwise', async () => {
    const { start, poll, server } = await mock({ polls: [{ kind: 'tokens', tokenType: 'foo' }] })
    const code = (await start()).body.oob_code as string
    const token = (await poll(code)).body.access_token as string
    const userinfo = (authorization: string) =>
      fetch(`${server.url}/oauth2/v1/userinfo`, { headers: { Authorization: authorization } })
    const ok = await userinfo(`foo ${token}`)
    expect(ok.status).toBe(200)
    // The user who signed in: the login_hint of the transaction the token was issued for.
    expect(await ok.json()).toMatchObject({ preferred_username: server.transactions[0]!.loginHint })
    const refused = await userinfo('Bearer made-up')
    expect(refused.status).toBe(401)
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
    expect(server.transactions[0]!.tokens).toEqual({ accessToken: token, tokenType: 'foo' })
    expect(server.requests.slice(2).map((r) => [r.endpoint, r.answer.kind, r.exchange.operation]))
      .toEqual([['userinfo', 'userinfo', 'userinfo'], ['userinfo', 'invalid-token', 'userinfo']])
  })

  it('resets the connection when scripted to', async () => {
    const { start, poll, server } = await mock({ polls: [{ kind: 'reset' }] })
    const code = (await start()).body.oob_code as string
    await expect(poll(code)).rejects.toThrow()
    expect(server.requests[1]!.exchange.error).toMatch(/reset/)
  })

  it('adds unknown members to every answer when the scenario asks', async () => {
    const { start, poll } =
      await mock({ extraMembers: true, polls: [{ kind: 'pending' }, { kind: 'tokens' }] })
    const started = await start()
    expect(started.body).toHaveProperty('supported_challenge_types')
    const code = started.body.oob_code as string
    expect((await poll(code)).body).toHaveProperty('x_vendor')
    expect((await poll(code)).body).toHaveProperty('device_secret')
  })

  it('ends the flow at expiry if nobody answers, at once for transfer without a number', async () => {
    const expiring = await mock({ start: { expiresIn: 1, interval: 1, bindingMethod: 'none' } })
    await expiring.start()
    await expect(expiring.server.final).resolves.toBeGreaterThanOrEqual(1000)
    await expiring.server.close()
    const numberless = await mock({ start: { expiresIn: 60, interval: 1, bindingMethod: 'transfer' } })
    await numberless.start()
    await expect(numberless.server.final).resolves.toBeLessThan(1000)
  })

  it('answers other paths and methods with 404, unknown codes with invalid_grant', async () => {
    const { post, poll, server } = await mock({})
    expect((await post('/token', {})).status).toBe(404)
    expect(await poll('made-up')).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
    expect(server.requests.map((r) => r.answer.kind)).toEqual(['not-found', 'unknown-code'])
  })
})

describe('the scripted server as a real one', () => {
  it('serves HTTPS with the run’s certificate, for 127.0.0.1 and localhost, to clients trusting its CA', async () => {
    const { start, server } = await mock({}, 'okta', { tls: certificates }, fetchTrusting(certificates.ca))
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(server.host).toBe(server.url.slice('https://'.length))
    expect((await start()).status).toBe(200)
    const viaName = await fetchTrusting(certificates.ca)(`https://localhost:${server.host.split(':')[1]}/x`)
    expect(viaName.status).toBe(404)
    // Only the run's CA vouches for it.
    const other = await createRunCertificates()
    await expect(fetchTrusting(other.ca)(`${server.url}/x`))
      .rejects.toMatchObject({ cause: { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' } })
    expect(server.requests[0]!.exchange.request.url).toMatch(/^https:/)
  })

  it('issues an ID token for openid, verifiable with the JWKS its discovery document names', async () => {
    const { start, poll, server } = await mock({ polls: [{ kind: 'tokens' }] }, 'okta', { clientId: 'cid' })
    const code = (await start()).body.oob_code as string
    const { body } = await poll(code, { scope: 'openid profile' })
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'openid profile' })
    expect(body).not.toHaveProperty('refresh_token')
    const metadata = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json() as
      { issuer: string; jwks_uri: string; token_endpoint: string }
    expect(metadata).toMatchObject({ issuer: server.issuer, token_endpoint: `${server.url}/oauth2/v1/token` })
    const { payload } = await jwtVerify(body.id_token as string, createRemoteJWKSet(new URL(metadata.jwks_uri)),
      { issuer: server.issuer, audience: 'cid' })
    expect(payload).toMatchObject({ preferred_username: 'a@b', sub: expect.stringMatching(/^00u/) })
    expect(payload.exp! - payload.iat!).toBeGreaterThan(0)
    expect(server.secrets).toEqual(expect.arrayContaining([body.access_token, body.id_token]))
    expect(server.requests.map((r) => r.answer.kind)).toEqual(['initiation', 'tokens', 'metadata', 'metadata'])
  })

  it('adds a refresh token for offline_access, and no ID token without openid', async () => {
    const { start, poll, server } = await mock({ polls: [{ kind: 'tokens' }] }, 'rfc')
    const code = (await start()).body.oob_code as string
    const { body } = await poll(code, { scope: 'profile offline_access' })
    expect(body.refresh_token).toEqual(expect.any(String))
    expect(body).not.toHaveProperty('id_token')
    expect(server.secrets).toContain(body.refresh_token)
  })

  it.each([
    ['okta', 'sms', 403, 'access_denied'],
    ['rfc', 'voice', 400, 'access_denied'],
    ['okta', 'fax', 400, 'invalid_request'],
  ] as const)('under %s answers channel_hint %s, which the scenario’s user lacks, with %i %s', async (
    profile, channel, status, error) => {
    const { start, server } = await mock({}, profile)
    expect(await start(channel)).toMatchObject({ status, body: { error } })
    expect(server.transactions).toEqual([])
    expect(server.requests[0]!.answer).toMatchObject({ kind: 'unsupported-channel', final: false })
  })
})
