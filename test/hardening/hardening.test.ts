import { describe, it, expect } from 'vitest'
import { createReferenceServer, type ReferenceServer } from '../../src/reference-server/index.js'
import { PROFILES } from '../../src/profile.js'
import { fuzz, fuzzClock, settledHeap } from './fuzz.js'
import { OOB_GRANT_TYPE } from '../../src/protocol/index.js'

/**
 * The reference server under hostile clients: generated traffic, valid and malformed, in-process; then the
 * races a real client population produces. `bench/hardening.ts` sends 100,000 requests; this keeps 20,000
 * per profile so that `npm test` stays quick, which already exercises every route and most error paths.
 */
const REQUESTS = 20_000
const CHECKPOINT_EVERY = 4_000
/** Heap growth allowed from the first checkpoint to any later one: noise; a 1 KB/request leak exceeds it. */
const HEAP_SLACK_BYTES = 8 * 1024 * 1024

const ORIGIN = 'http://reference.test'

function post(server: ReferenceServer, path: string, form: Record<string, string>): Promise<Response> {
  return server.fetch(new Request(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  }))
}

async function start(server: ReferenceServer, loginHint: string, channel: string): Promise<string> {
  const res = await post(server, '/oauth2/v1/primary-authenticate', {
    client_id: 'oob-public-client', login_hint: loginHint, channel_hint: channel,
    challenge_hint: OOB_GRANT_TYPE,
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { oob_code: string }).oob_code
}

const redeem = (server: ReferenceServer, oobCode: string, extra: Record<string, string> = {}) =>
  post(server, '/oauth2/v1/token', {
    client_id: 'oob-public-client', grant_type: OOB_GRANT_TYPE, oob_code: oobCode,
    scope: 'openid profile offline_access', ...extra,
  })

const control = (server: ReferenceServer, oobCode: string, action: 'approve' | 'otp') =>
  server.fetch(new Request(`${ORIGIN}/control/transactions/${oobCode}/${action}`,
    { method: action === 'otp' ? 'GET' : 'POST' }))

async function summary(responses: Response[]): Promise<string[]> {
  return Promise.all(responses.map(async (res) => {
    const body = (await res.json()) as { error?: string; access_token?: string }
    return `${res.status} ${body.error ?? (body.access_token ? 'tokens' : '?')}`
  }))
}

describe.each(PROFILES)('reference server hardening (%s)', (profile) => {
  it(`${REQUESTS} generated requests: no 5xx, every route reached, heap flat`, async () => {
    const clock = fuzzClock()
    const server = await createReferenceServer({ profile, now: clock.now })
    const heap: number[] = []
    const stats = await fuzz(server, clock, {
      count: REQUESTS,
      seed: 6,
      onProgress: async (sent) => {
        if (sent % CHECKPOINT_EVERY === 0) heap.push(await settledHeap())
      },
    })
    expect(stats.serverErrors).toEqual([])
    expect(Object.keys(stats.statuses).filter((status) => Number(status) >= 500)).toEqual([])
    // Valid traffic got through to tokens, and malformed traffic was refused at every layer: routing, method,
    // client authentication, parameters, the control API's state checks.
    expect(stats.tokens).toBeGreaterThan(0)
    for (const status of [200, 204, 400, 401, 404, 405, 409]) {
      expect(stats.statuses).toHaveProperty(String(status))
    }
    const [first, ...later] = heap
    for (const h of later) expect(h - first!).toBeLessThan(HEAP_SLACK_BYTES)
  }, 120_000)

  it('50 simultaneous polls of an approved code: exactly one token response', async () => {
    const server = await createReferenceServer({ profile })
    const oobCode = await start(server, 'push@example.test', 'push')
    expect((await control(server, oobCode, 'approve')).status).toBe(204)
    const polls = await Promise.all(Array.from({ length: 50 }, () => redeem(server, oobCode)))
    const answers = await summary(polls)
    expect(answers.filter((a) => a === '200 tokens')).toHaveLength(1)
    // The other 49 found it consumed: Okta answers reuse 403 access_denied, RFC 6749 400 invalid_grant.
    const reuse = profile === 'okta' ? '403 access_denied' : '400 invalid_grant'
    expect(answers.filter((a) => a !== '200 tokens')).toEqual(Array(49).fill(reuse))
  })

  it('the OTP attempt limit counts simultaneous guesses, one each', async () => {
    const server = await createReferenceServer({ profile, otpMaxAttempts: 5 })
    const wrongGuesses = async (oobCode: string, n: number) => {
      const res = await Promise.all(Array.from({ length: n }, (_, i) =>
        redeem(server, oobCode, { binding_code: String(900_000 + i) })))
      expect(await summary(res)).toEqual(Array(n).fill('400 invalid_grant'))
    }
    const otpOf = async (oobCode: string) => ((await (await control(server, oobCode, 'otp')).json()) as
      { otp: string }).otp

    // Four at once leave one attempt: the right code still works.
    const spared = await start(server, 'sms@example.test', 'sms')
    await wrongGuesses(spared, 4)
    expect(await summary([await redeem(server, spared, { binding_code: await otpOf(spared) })]))
      .toEqual(['200 tokens'])

    // Fifty at once use up all five: the right code is refused afterwards.
    const locked = await start(server, 'sms@example.test', 'sms')
    await wrongGuesses(locked, 50)
    expect(await summary([await redeem(server, locked, { binding_code: await otpOf(locked) })]))
      .toEqual(['400 invalid_grant'])
  })

  it('the rate limit admits exactly its limit of simultaneous requests per client', async () => {
    const clock = fuzzClock()
    const rateLimit = { limit: 20, windowSeconds: 60 }
    const server = await createReferenceServer({ profile, now: clock.now, rateLimit })
    const burst = await Promise.all(Array.from({ length: 50 }, () => redeem(server, 'unknown-code')))
    const statuses = burst.map((res) => res.status)
    expect(statuses.filter((s) => s !== 429)).toHaveLength(20)
    expect(statuses.filter((s) => s === 429)).toHaveLength(30)
    for (const res of burst.filter((r) => r.status === 429)) expect(res.headers.get('retry-after')).toBe('60')
    // Another client has its own budget; the next window starts afresh.
    const other = await post(server, '/oauth2/v1/token', { client_id: 'oob-no-grant-client' })
    expect(other.status).not.toBe(429)
    clock.advance(60_000)
    expect((await redeem(server, 'unknown-code')).status).not.toBe(429)
  })
})
