import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { startReferenceServer } from '../reference-server/index.js'
import { resolveCheckConfig } from '../config/resolve.js'
import type { TargetConfig } from '../config/target.js'
import { HttpClient } from '../http/client.js'
import type { Exchange } from '../http/exchange.js'
import { OOB_CHALLENGE_HINT, OOB_GRANT_TYPE } from '../protocol/index.js'
import { expectOutcome, expectTokens } from './expect.js'
import { CheckSkipped, NotJudged, RequirementFailure } from './steps.js'
import {
  OobClient, sentTooLate, describeResponse, hasTokens, oauthError,
  unknownCodeTokenForm,
} from './oob.js'

let server: Awaited<ReturnType<typeof startReferenceServer>>
let target: TargetConfig
beforeAll(async () => {
  server = await startReferenceServer({ interval: 1, expiresIn: 10 })
  target = resolveCheckConfig({ baseUrl: server.url }, {}).target
})
afterAll(() => server.close())

function client(overrides: Partial<TargetConfig> = {}) {
  const exchanges: Exchange[] = []
  const http = new HttpClient({
    timeoutMs: 5000, maxResponseBytes: 64 * 1024, onExchange: (e) => exchanges.push(e),
  })
  const oob = new OobClient({ ...target, ...overrides }, http)
  /** The form body of the last request, as a plain object. */
  const sent = () => Object.fromEntries(new URLSearchParams(exchanges.at(-1)!.request.body))
  return { oob, exchanges, sent }
}

const basic = (id: string, secret: string) => 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64')

describe('OobClient.credentials', () => {
  it('public clients send client_id; the confidential one defaults to client_secret_basic', () => {
    const { oob } = client()
    expect(oob.credentials()).toEqual({ params: { client_id: 'oob-public-client' }, headers: {} })
    expect(oob.credentials({ client: 'noGrant' }))
      .toEqual({ params: { client_id: 'oob-no-grant-client' }, headers: {} })
    expect(oob.credentials({ client: 'confidential' })).toEqual({
      params: {}, headers: { authorization: basic('oob-confidential-client', 'oob-confidential-secret') },
    })
    expect(oob.credentials({ client: 'confidential', auth: 'client_secret_post' })).toEqual({
      params: { client_id: 'oob-confidential-client', client_secret: 'oob-confidential-secret' }, headers: {},
    })
  })

  it('a confidential client without a secret skips the check, saying how to give one', () => {
    const accounts = structuredClone(target.accounts)
    delete accounts.clients.confidential.clientSecret
    const { oob } = client({ accounts })
    expect(() => oob.credentials({ client: 'confidential' })).toThrow(new CheckSkipped('the confidential ' +
      'client has no secret configured: set OOB_CLIENT_SECRET or clients.confidential.client_secret'))
    expect(oob.credentials({ client: 'confidential', auth: 'none' }).params)
      .toEqual({ client_id: 'oob-confidential-client' })
  })
})

describe('OobClient.authenticate', () => {
  it('sends the standard initiation form to the configured endpoint, as that operation', async () => {
    const { oob, exchanges, sent } = client()
    const res = await oob.authenticate('sms')
    expect(res.status).toBe(200)
    expect(exchanges[0]).toMatchObject({
      operation: 'primaryAuthenticate',
      request: {
        method: 'POST',
        url: `${server.url}/oauth2/v1/primary-authenticate`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      },
    })
    expect(sent()).toEqual({
      client_id: 'oob-public-client',
      login_hint: 'sms@example.test',
      channel_hint: 'sms',
      challenge_hint: OOB_CHALLENGE_HINT,
    })
  })

  it('the deprecated alias goes without challenge_hint; params add, replace or remove', async () => {
    const { oob, exchanges, sent } = client()
    const params = { channel_hint: undefined, extra: ['1', '2'] }
    await oob.authenticate('push', params, { endpoint: 'oobAuthenticate' })
    expect(exchanges[0]!.operation).toBe('oobAuthenticate')
    expect(exchanges[0]!.request.url).toBe(`${server.url}/oauth2/v1/oob-authenticate`)
    expect(exchanges[0]!.request.body)
      .toBe('client_id=oob-public-client&login_hint=push%40example.test&extra=1&extra=2')
    expect(sent().challenge_hint).toBeUndefined()
  })

  it('a login_hint that is no standard user is sent as is, over push', async () => {
    const { oob, sent } = client()
    const choice = { client: 'confidential', auth: 'client_secret_post' } as const
    const res = await oob.authenticate('nobody@example.test', {}, choice)
    expect(sent()).toMatchObject({
      login_hint: 'nobody@example.test', channel_hint: 'push', client_secret: 'oob-confidential-secret',
    })
    expect(res.status).toBe(200)
  })
})

describe('OobClient.start', () => {
  it('returns the transaction of a usable 200', async () => {
    const { oob } = client()
    const push = await oob.start('push')
    expect(push).toMatchObject({
      expiresIn: 10, interval: 1, channel: 'push', bindingMethod: 'none', client: {},
    })
    expect(push.oobCode.length).toBeGreaterThan(0)
    expect(push.bindingCode).toBeUndefined()
    expect(typeof push.receivedAt).toBe('number')
    const number = await oob.start('number', { client: 'confidential' })
    expect(number).toMatchObject({
      bindingMethod: 'transfer', client: { client: 'confidential', auth: undefined },
    })
    expect(number.bindingCode).toMatch(/^\d+$/)
    const sms = await oob.start('sms')
    expect(sms).toMatchObject({ channel: 'sms', bindingMethod: 'prompt', interval: undefined })
  })

  it('blames only the start\'s requirement, with what came back, when the server refuses', async () => {
    await expect(client().oob.start('unenrolled'))
      .rejects.toThrow(new RequirementFailure('OOB-S-INIT-FORM-POST', 'starting a unenrolled transaction failed: 403 access_denied'))
    await expect(client().oob.start('unenrolled', { client: 'confidential', auth: 'client_secret_post' }))
      .rejects.toMatchObject({ requirement: 'OOB-S-CLIENT-SECRET-POST' })
  })

  it('blames OOB-S-INIT-RESPONSE-FIELDS for a 200 without a numeric expires_in', async () => {
    const started = await startReferenceServer({ behaviour: { initiationBody: ({ expires_in: _, ...body }) => body as never } })
    try {
      const { target: other } = resolveCheckConfig({ baseUrl: started.url }, {})
      const oob = new OobClient(other, new HttpClient({ timeoutMs: 5000, maxResponseBytes: 65536 }))
      await expect(oob.start('push')).rejects.toThrow(new RequirementFailure('OOB-S-INIT-RESPONSE-FIELDS',
        'the initiation response for push has no numeric expires_in'))
    } finally {
      await started.close()
    }
  })
})

describe('OobClient.token and redeem', () => {
  it('polls with the OOB grant and the standard scope; tokens once the user approved', async () => {
    const { oob, exchanges, sent } = client()
    const tx = await oob.start('push')
    const pending = await oob.redeem(tx)
    expect(sent()).toEqual({
      client_id: 'oob-public-client',
      grant_type: OOB_GRANT_TYPE,
      oob_code: tx.oobCode,
      scope: 'openid profile offline_access',
    })
    expect(exchanges.at(-1)!.operation).toBe('token')
    expect(oauthError(pending)).toBe('authorization_pending')
    expect(hasTokens(pending)).toBe(false)
    expect(describeResponse(pending)).toBe('400 authorization_pending')
    const control = `${server.url}/control/transactions/${encodeURIComponent(tx.oobCode)}`
    const approved = await fetch(`${control}/approve`, { method: 'POST' })
    expect(approved.status).toBe(204)
    const granted = await oob.redeem(tx)
    expect(hasTokens(granted)).toBe(true)
    expect(oauthError(granted)).toBeUndefined()
    expect(describeResponse(granted)).toBe('200 with tokens')
  })

  it('redeem authenticates as the client that started the transaction; params remove others', async () => {
    const { oob, exchanges, sent } = client()
    const tx = await oob.start('push', { client: 'confidential' })
    await oob.redeem(tx, { scope: undefined })
    expect(exchanges.at(-1)!.request.headers.authorization)
      .toBe(basic('oob-confidential-client', 'oob-confidential-secret'))
    expect(sent()).toEqual({ grant_type: OOB_GRANT_TYPE, oob_code: tx.oobCode })
  })

  it('retryOn429: false reaches the HTTP client: a 429 comes back at once', async () => {
    const limited = await startReferenceServer({ rateLimit: { limit: 1, windowSeconds: 60 } })
    try {
      const { endpoints } = resolveCheckConfig({ baseUrl: limited.url }, {}).target
      const { oob, exchanges } = client({ endpoints })
      await oob.token('unknown')
      const res = await oob.token('unknown', {}, {}, { retryOn429: false })
      expect(res.status).toBe(429)
      expect(exchanges).toHaveLength(2)
    } finally {
      await limited.close()
    }
  })
})

describe('unknownCodeTokenForm', () => {
  it('a well-formed token request for a code no server issued, plus the extra parameters', () => {
    const form = unknownCodeTokenForm(target, { client_id: 'c', scope: undefined })
    expect(Object.fromEntries(new URLSearchParams(form)))
      .toEqual({ grant_type: OOB_GRANT_TYPE, oob_code: 'oob-conformance-unknown-code', client_id: 'c' })
  })
})

describe('a request the check itself sent too late', () => {
  it('is not judged against a live code\'s expectation when the answer is the expiry error; otherwise it fails', async () => {
    const short = await startReferenceServer({ interval: 1, expiresIn: 1 })
    try {
      const { target: shortLived } = resolveCheckConfig({ baseUrl: short.url }, {})
      const oob = new OobClient(shortLived, new HttpClient({ timeoutMs: 5000, maxResponseBytes: 65536 }))
      const tx = await oob.start('push')
      await new Promise((resolve) => setTimeout(resolve, 1500))
      const late = await oob.redeem(tx)
      expect(sentTooLate(late)).toMatch(/^the request was sent 1\.\d s after initiation, when the oob_code \(expires_in 1 s\)/)
      expect(() => expectTokens('OOB-S-TOKENS-AFTER-APPROVAL', late, 'the poll after approval'))
        .toThrow(NotJudged)
      expect(() => expectOutcome(late, 'OOB-S-POLL-PENDING', 'okta', 'a pending poll')).toThrow(NotJudged)
      // Expiry itself is what an expiry check waits for: judged as usual.
      expect(() => expectOutcome(late, 'OOB-S-OOB-CODE-EXPIRES', 'okta', 'after expiry')).not.toThrow()
      // The same answer to a request sent in time is the server's doing: a failure.
      const onTime = await oob.redeem({ ...tx, receivedAt: performance.now(), expiresIn: 300 })
      expect(sentTooLate(onTime)).toBeUndefined()
      expect(() => expectTokens('OOB-S-TOKENS-AFTER-APPROVAL', onTime, 'the poll')).toThrow(RequirementFailure)
    } finally {
      await short.close()
    }
  })
})
