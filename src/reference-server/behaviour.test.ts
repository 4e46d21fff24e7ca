import { describe, it, expect, vi } from 'vitest'
import { OOB_CHALLENGE_HINT, OOB_GRANT_TYPE } from '../protocol/index.js'
import { basic, CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, harness, PRIMARY, PUBLIC_CLIENT, TOKEN } from './harness.js'
import { defaultBehaviour, type Behaviour } from './index.js'

// Each case replaces one decision and shows the handlers obey it: the seam the mutants are built on.
describe('the behaviour seam', () => {
  it('parseBody: a server that also reads JSON bodies', async () => {
    const h = await harness({
      behaviour: {
        parseBody: (type, body) => type === 'application/json'
          ? Object.entries(JSON.parse(body) as Record<string, string>)
          : defaultBehaviour.parseBody(type, body),
      },
    })
    const res = await h.post(PRIMARY, JSON.stringify({
      client_id: PUBLIC_CLIENT,
      login_hint: 'push@example.test',
      channel_hint: 'push',
      challenge_hint: OOB_CHALLENGE_HINT,
    }), { 'Content-Type': 'application/json' })
    expect(res.status).toBe(200)
  })

  it('rejectDuplicate: repeated parameters accepted, the last one wins', async () => {
    const h = await harness({ behaviour: { rejectDuplicate: () => false } })
    const body = `client_id=${PUBLIC_CLIENT}&channel_hint=push&challenge_hint=${OOB_CHALLENGE_HINT}` +
      '&login_hint=sms%40example.test&login_hint=push%40example.test'
    expect((await h.post(PRIMARY, body)).status).toBe(200)
  })

  it('unknownParameter: unknown parameters rejected', async () => {
    const h = await harness({ behaviour: { unknownParameter: () => 'reject' } })
    expect((await h.initiate('push@example.test', 'push', { foo: 'bar' })).body.error).toBe('invalid_request')
    expect((await h.initiate('push@example.test', 'push')).status).toBe(200)
  })

  it('missingParameter: a 500 on a missing parameter', async () => {
    const h = await harness({
      behaviour: {
        missingParameter: () => {
          throw new TypeError('Cannot read properties of undefined')
        },
      },
    })
    // Hono's default error handler turns the exception into a 500 and logs it.
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      expect((await h.initiate('push@example.test', 'push', { login_hint: undefined })).status).toBe(500)
      expect(log).toHaveBeenCalledOnce()
    } finally {
      log.mockRestore()
    }
  })

  it('missingParameter: a missing channel_hint accepted', async () => {
    const h = await harness({
      behaviour: {
        missingParameter: (name, endpoint) =>
          name === 'channel_hint' ? 'push' : defaultBehaviour.missingParameter(name, endpoint),
      },
    })
    expect((await h.initiate('push@example.test', 'push', { channel_hint: undefined })).status).toBe(200)
  })

  it('rejectsAuthMethods: two authentication methods accepted', async () => {
    const h = await harness({ behaviour: { rejectsAuthMethods: () => false } })
    const both = { client_id: undefined, client_secret: CONFIDENTIAL_SECRET }
    const res = await h.initiate('push@example.test', 'push', both)
      .set('Authorization', basic(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET))
    expect(res.status).toBe(200)
  })

  it.each<[string, Behaviour['authenticates'], Record<string, string>]>([
    ['a wrong secret accepted',
      (client, presented) => (client.authMethods as string[]).includes(presented.method),
      { client_id: CONFIDENTIAL_CLIENT, client_secret: 'wrong' }],
    ['a public client accepted with a secret',
      (client, presented) =>
        client.authMethods.includes('none') || defaultBehaviour.authenticates(client, presented),
      { client_id: PUBLIC_CLIENT, client_secret: 'anything' }],
  ])('authenticates: %s', async (_, authenticates, credentials) => {
    const h = await harness({ behaviour: { authenticates } })
    expect((await h.initiate('push@example.test', 'push', credentials)).status).toBe(200)
  })

  it('newOobCode: low-entropy codes', async () => {
    let n = 0
    const h = await harness({ behaviour: { newOobCode: () => String(++n) } })
    expect(await h.start('push@example.test')).toBe('1')
  })

  it('initiationBody: interval for SMS, binding_code missing for transfer', async () => {
    const h = await harness({
      behaviour: {
        initiationBody: ({ binding_code: _, ...body }, { interval }) => ({ ...body, interval }),
      },
    })
    expect((await h.initiate('sms@example.test', 'sms')).body.interval).toBe(5)
    expect((await h.initiate('number@example.test', 'push')).body).not.toHaveProperty('binding_code')
  })

  it('isExpired: expired codes accepted', async () => {
    const h = await harness({ behaviour: { isExpired: () => false } })
    const oobCode = await h.start('push@example.test')
    h.clock.advance(301)
    expect((await h.redeem(oobCode)).body.error).toBe('authorization_pending')
  })

  it('boundToClient: cross-client redemption', async () => {
    const h = await harness({ behaviour: { boundToClient: () => true } })
    const oobCode = await h.start('push@example.test')
    await h.control(oobCode, 'approve')
    const stolen = { client_id: CONFIDENTIAL_CLIENT, client_secret: CONFIDENTIAL_SECRET }
    expect((await h.redeem(oobCode, stolen)).status).toBe(200)
  })

  it('terminalError: the RFC code for expiry under the okta profile', async () => {
    const h = await harness({
      profile: 'okta',
      behaviour: {
        terminalError: (kind, profile) =>
          defaultBehaviour.terminalError(kind, kind === 'expired' ? 'rfc' : profile),
      },
    })
    const oobCode = await h.start('push@example.test')
    await h.control(oobCode, 'expire')
    expect((await h.redeem(oobCode)).body.error).toBe('expired_token')
  })

  it('pollTooSoon: never slow_down, or slow_down on the first poll', async () => {
    const never = await harness({ behaviour: { pollTooSoon: () => false } })
    const a = await never.start('push@example.test')
    await never.redeem(a)
    expect((await never.redeem(a)).body.error).toBe('authorization_pending')
    const first = await harness({
      behaviour: { pollTooSoon: (t, now) => now - (t.lastPollAt ?? t.issuedAt) < t.interval * 1000 },
    })
    expect((await first.redeem(await first.start('push@example.test'))).body.error).toBe('slow_down')
  })

  it('nextInterval: slow_down without raising the interval', async () => {
    const h = await harness({ behaviour: { nextInterval: (interval) => interval } })
    const oobCode = await h.start('push@example.test')
    await h.redeem(oobCode)
    expect((await h.redeem(oobCode)).body.error).toBe('slow_down')
    h.clock.advance(5)
    expect((await h.redeem(oobCode)).body.error).toBe('authorization_pending')
  })

  it('otpMatches: a wrong OTP accepted', async () => {
    const h = await harness({ behaviour: { otpMatches: () => true } })
    expect((await h.redeem(await h.start('sms@example.test'), { binding_code: '000000x' })).status).toBe(200)
  })

  it('otpMaxAttempts: Infinity removes the attempt limit', async () => {
    const h = await harness({ otpMaxAttempts: Number.POSITIVE_INFINITY })
    const oobCode = await h.start('sms@example.test')
    for (let i = 0; i < 20; i++) await h.redeem(oobCode, { binding_code: 'wrong' })
    expect((await h.redeem(oobCode, { binding_code: await h.otp(oobCode) })).status).toBe(200)
  })

  it('redeem: tokens issued twice for one code', async () => {
    const h = await harness({ behaviour: { redeem: (_, issue) => issue() } })
    const oobCode = await h.start('push@example.test')
    await h.control(oobCode, 'approve')
    expect((await h.redeem(oobCode)).status).toBe(200)
    expect((await h.redeem(oobCode)).status).toBe(200)
  })

  it('redeem: consuming after an await races under concurrent polls, yet refuses a later reuse', async () => {
    const h = await harness({
      behaviour: {
        async redeem(transaction, issue) {
          const tokens = await issue()
          await new Promise((resolve) => setTimeout(resolve, 50))
          transaction.state = 'consumed'
          return tokens
        },
      },
    })
    const oobCode = await h.start('push@example.test')
    await h.control(oobCode, 'approve')
    const responses = await Promise.all(Array.from({ length: 20 }, () => h.redeem(oobCode)))
    expect(responses.filter((r) => r.status === 200).length).toBeGreaterThan(1)
    expect((await h.redeem(oobCode)).status).toBe(403)
  })

  it('finalizeResponse: no Cache-Control, no WWW-Authenticate', async () => {
    const h = await harness({
      behaviour: {
        finalizeResponse: (response) => {
          response.headers.delete('Cache-Control')
          response.headers.delete('WWW-Authenticate')
          return response
        },
      },
    })
    const res = await h.post(TOKEN, { grant_type: OOB_GRANT_TYPE }, { Authorization: basic('nobody', 'x') })
    expect(res.status).toBe(401)
    expect(res.headers).not.toHaveProperty('www-authenticate')
    expect(res.headers).not.toHaveProperty('cache-control')
  })
})
