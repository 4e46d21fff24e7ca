import { describe, it, expect } from 'vitest'
import type { Profile } from '../profile.js'
import {
  basic, CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, harness, NO_GRANT_CLIENT, PUBLIC_CLIENT, STANDARD_SCOPE,
  TOKEN,
} from './harness.js'

type Outcome = { status: number; error: string }

const TERMINAL: Record<Profile, Record<'expired' | 'consumed' | 'denied', Outcome>> = {
  okta: {
    expired: { status: 403, error: 'access_denied' },
    consumed: { status: 403, error: 'access_denied' },
    denied: { status: 400, error: 'invalid_grant' },
  },
  rfc: {
    expired: { status: 400, error: 'expired_token' },
    consumed: { status: 400, error: 'invalid_grant' },
    denied: { status: 400, error: 'access_denied' },
  },
}

function outcome(res: { status: number; body: { error?: string } }): Outcome | number {
  return res.body.error === undefined ? res.status : { status: res.status, error: res.body.error }
}

const PENDING = { status: 400, error: 'authorization_pending' }
const SLOW_DOWN = { status: 400, error: 'slow_down' }
const INVALID_GRANT = { status: 400, error: 'invalid_grant' }
const INVALID_REQUEST = { status: 400, error: 'invalid_request' }
const INVALID_SCOPE = { status: 400, error: 'invalid_scope' }

describe.each(['okta', 'rfc'] as const)('token endpoint, %s profile', (profile) => {
  const terminal = TERMINAL[profile]

  describe('push', () => {
    it('pending → authorization_pending; approved → tokens once; reuse → consumed error', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start('push@example.test')
      expect(outcome(await h.redeem(oobCode))).toEqual(PENDING)
      h.clock.advance(5)
      expect(outcome(await h.redeem(oobCode))).toEqual(PENDING)
      expect((await h.control(oobCode, 'approve')).status).toBe(204)
      h.clock.advance(5)
      const tokens = await h.redeem(oobCode)
      expect(tokens.status).toBe(200)
      expect(tokens.headers).toMatchObject({
        'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache',
      })
      expect(tokens.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: STANDARD_SCOPE })
      expect(typeof tokens.body.access_token).toBe('string')
      expect(typeof tokens.body.id_token).toBe('string')
      expect(typeof tokens.body.refresh_token).toBe('string')
      h.clock.advance(5)
      expect(outcome(await h.redeem(oobCode))).toEqual(terminal.consumed)
      expect(outcome(await h.redeem(oobCode))).toEqual(terminal.consumed)
    })

    it('the first poll right after initiation is not early (S20)', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start('push@example.test')
      expect(outcome(await h.redeem(oobCode))).toEqual(PENDING)
    })

    it('an early poll gets slow_down; each adds 5 s for all later polls (RFC 8628 §3.5)', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start('push@example.test')
      expect(outcome(await h.redeem(oobCode))).toEqual(PENDING) //     t=0, interval 5
      h.clock.advance(1)
      expect(outcome(await h.redeem(oobCode))).toEqual(SLOW_DOWN) //   t=1, interval 10
      h.clock.advance(5)
      expect(outcome(await h.redeem(oobCode))).toEqual(SLOW_DOWN) //   t=6: 5 < 10, interval 15
      h.clock.advance(15)
      expect(outcome(await h.redeem(oobCode))).toEqual(PENDING) //     t=21: 15 ≥ 15
      h.clock.advance(14.999)
      expect(outcome(await h.redeem(oobCode))).toEqual(SLOW_DOWN) //   interval 20
      h.clock.advance(20)
      expect(outcome(await h.redeem(oobCode))).toEqual(PENDING)
    })

    it('the interval is measured from the previous request, whatever it was answered', async () => {
      const h = await harness({ profile, interval: 2 })
      const oobCode = await h.start('push@example.test')
      await h.redeem(oobCode)
      for (let i = 0; i < 5; i++) {
        h.clock.advance(2)
        expect(outcome(await h.redeem(oobCode))).toEqual(PENDING)
      }
    })

    it('an approved code is redeemed even by an early poll', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start('push@example.test')
      await h.redeem(oobCode)
      await h.control(oobCode, 'approve')
      expect((await h.redeem(oobCode)).status).toBe(200)
    })

    it('denied → terminal error on every later poll, never tokens', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start('push@example.test')
      await h.redeem(oobCode)
      expect((await h.control(oobCode, 'deny')).status).toBe(204)
      for (let i = 0; i < 3; i++) {
        h.clock.advance(5)
        expect(outcome(await h.redeem(oobCode))).toEqual(terminal.denied)
      }
      expect((await h.control(oobCode, 'approve')).status).toBe(409)
      expect(outcome(await h.redeem(oobCode))).toEqual(terminal.denied)
    })

    it('expires exactly expires_in after initiation, approved or not', async () => {
      const h = await harness({ profile, expiresIn: 60 })
      const pending = await h.start('push@example.test')
      const approved = await h.start('push@example.test')
      await h.control(approved, 'approve')
      h.clock.advance(59.999)
      expect(outcome(await h.redeem(pending))).toEqual(PENDING)
      h.clock.advance(0.001)
      expect(outcome(await h.redeem(pending))).toEqual(terminal.expired)
      expect(outcome(await h.redeem(approved))).toEqual(terminal.expired)
    })

    it('expires at once through the control API', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start('push@example.test')
      expect((await h.control(oobCode, 'expire')).status).toBe(204)
      expect(outcome(await h.redeem(oobCode))).toEqual(terminal.expired)
    })

    it('keeps a tombstone for one lifetime after expiry, then forgets the code', async () => {
      const h = await harness({ profile, expiresIn: 60 })
      const consumed = await h.start('push@example.test')
      await h.control(consumed, 'approve')
      await h.redeem(consumed)
      const expired = await h.start('push@example.test')
      h.clock.advance(60)
      expect(outcome(await h.redeem(consumed))).toEqual(terminal.expired)
      h.clock.advance(59.999)
      expect(outcome(await h.redeem(expired))).toEqual(terminal.expired)
      h.clock.advance(0.001)
      expect(outcome(await h.redeem(expired))).toEqual(INVALID_GRANT)
      expect((await h.control(expired, 'expire')).status).toBe(404)
    })

    it('number challenge: the right number approves, a wrong one denies (S23)', async () => {
      const h = await harness({ profile })
      const right = await h.initiate('number@example.test', 'push')
      const oobCode = right.body.oob_code as string
      const tapped = { binding_code: right.body.binding_code }
      expect((await h.control(oobCode, 'approve', tapped)).status).toBe(204)
      expect((await h.redeem(oobCode)).status).toBe(200)

      const wrong = await h.initiate('number@example.test', 'push')
      const other = wrong.body.binding_code === '10' ? '11' : '10'
      await h.control(wrong.body.oob_code, 'approve', { binding_code: other })
      expect(outcome(await h.redeem(wrong.body.oob_code))).toEqual(terminal.denied)
    })

    it('number challenge: approving without a number picks the right one', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start('number@example.test')
      await h.control(oobCode, 'approve')
      expect((await h.redeem(oobCode)).status).toBe(200)
    })

    it('20 concurrent polls at approval yield exactly one token response', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start('push@example.test')
      await h.control(oobCode, 'approve')
      const responses = await Promise.all(Array.from({ length: 20 }, () => h.redeem(oobCode)))
      expect(responses.filter((r) => r.status === 200)).toHaveLength(1)
      for (const res of responses.filter((r) => r.status !== 200)) {
        expect(outcome(res)).toEqual(terminal.consumed)
      }
    })
  })

  describe.each(['sms', 'voice', 'email'])('prompt (%s)', (channel) => {
    const user = `${channel}@example.test`

    it('the delivered code has the channel\'s format', async () => {
      const h = await harness({ profile })
      const code = await h.otp(await h.start(user))
      expect(code).toMatch(channel === 'email' ? /^[A-Z0-9]{8}$/ : /^\d{6}$/)
    })

    it('the right binding_code → tokens once, then the code is consumed', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start(user)
      const code = await h.otp(oobCode)
      expect((await h.redeem(oobCode, { binding_code: code })).status).toBe(200)
      expect(outcome(await h.redeem(oobCode, { binding_code: code }))).toEqual(terminal.consumed)
    })

    it('a wrong code → invalid_grant; the right one still works before the limit', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start(user)
      const code = await h.otp(oobCode)
      for (let i = 0; i < 4; i++) {
        expect(outcome(await h.redeem(oobCode, { binding_code: 'X' + i }))).toEqual(INVALID_GRANT)
      }
      expect((await h.redeem(oobCode, { binding_code: code })).status).toBe(200)
    })

    it('a missing or empty code → invalid_grant (not authorization_pending), not counted', async () => {
      const h = await harness({ profile, otpMaxAttempts: 1 })
      const oobCode = await h.start(user)
      expect(outcome(await h.redeem(oobCode))).toEqual(INVALID_GRANT)
      expect(outcome(await h.redeem(oobCode, { binding_code: '' }))).toEqual(INVALID_GRANT)
      expect((await h.redeem(oobCode, { binding_code: await h.otp(oobCode) })).status).toBe(200)
    })

    it('after otpMaxAttempts wrong codes the transaction is dead, even for the right code', async () => {
      const h = await harness({ profile, otpMaxAttempts: 3 })
      const oobCode = await h.start(user)
      const code = await h.otp(oobCode)
      for (let i = 0; i < 3; i++) await h.redeem(oobCode, { binding_code: 'wrong' })
      expect(outcome(await h.redeem(oobCode, { binding_code: code }))).toEqual(INVALID_GRANT)
    })

    it('expiry beats a right code', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start(user)
      const code = await h.otp(oobCode)
      h.clock.advance(300)
      expect(outcome(await h.redeem(oobCode, { binding_code: code }))).toEqual(terminal.expired)
    })

    it('a denied prompt transaction never yields tokens', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start(user)
      const code = await h.otp(oobCode)
      await h.control(oobCode, 'deny')
      expect(outcome(await h.redeem(oobCode, { binding_code: code }))).toEqual(terminal.denied)
    })
  })

  it('email codes are compared case-sensitively', async () => {
    const h = await harness({ profile })
    const oobCode = await h.start('email@example.test')
    const code = await h.otp(oobCode)
    // The alphabet is upper case and digits, so a code without letters has no lower-case twin: draw again.
    const lower = code.toLowerCase()
    if (lower !== code) {
      expect(outcome(await h.redeem(oobCode, { binding_code: lower }))).toEqual(INVALID_GRANT)
    }
    expect((await h.redeem(oobCode, { binding_code: code })).status).toBe(200)
  })

  describe('request errors', () => {
    it('missing grant_type → invalid_request; another grant → unsupported_grant_type', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start('push@example.test')
      expect(outcome(await h.redeem(oobCode, { grant_type: undefined }))).toEqual(INVALID_REQUEST)
      expect(outcome(await h.redeem(oobCode, { grant_type: 'authorization_code' })))
        .toEqual({ status: 400, error: 'unsupported_grant_type' })
    })

    it('missing oob_code → invalid_request; unknown → invalid_grant', async () => {
      const h = await harness({ profile })
      expect(outcome(await h.redeem('x', { oob_code: undefined }))).toEqual(INVALID_REQUEST)
      expect(outcome(await h.redeem('no-such-code'))).toEqual(INVALID_GRANT)
    })

    it('client without the OOB grant → unauthorized_client', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start('push@example.test')
      expect(outcome(await h.redeem(oobCode, { client_id: NO_GRANT_CLIENT })))
        .toEqual({ status: 400, error: 'unauthorized_client' })
    })

    it('a code issued to another client → invalid_grant, and the owner is unaffected (S26)', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start('push@example.test')
      await h.control(oobCode, 'approve')
      const stolen = await h.redeem(oobCode, { client_id: undefined }, TOKEN)
        .set('Authorization', basic(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET))
      expect(outcome(stolen)).toEqual(INVALID_GRANT)
      expect((await h.redeem(oobCode, { client_id: PUBLIC_CLIENT })).status).toBe(200)
    })

    it('a code of one authorization server is unknown at the other', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start('push@example.test')
      await h.control(oobCode, 'approve')
      expect(outcome(await h.redeem(oobCode, {}, '/oauth2/default/v1/token'))).toEqual(INVALID_GRANT)
      const custom = await h.start('push@example.test', {}, '/oauth2/default/v1/primary-authenticate')
      await h.control(custom, 'approve')
      expect((await h.redeem(custom, {}, '/oauth2/default/v1/token')).status).toBe(200)
    })

    it('a scope outside the four supported ones, or a malformed list → invalid_scope', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start('push@example.test')
      for (const scope of ['openid admin', 'openid  profile', ' openid', 'OPENID']) {
        expect(outcome(await h.redeem(oobCode, { scope }))).toEqual(INVALID_SCOPE)
      }
    })

    it('grants exactly the requested scopes', async () => {
      const h = await harness({ profile })
      const oobCode = await h.start('push@example.test')
      await h.control(oobCode, 'approve')
      const res = await h.redeem(oobCode, { scope: 'profile email profile' })
      expect(res.body.scope).toBe('profile email')
      expect(res.body.id_token).toBeUndefined()
      expect(res.body.refresh_token).toBeUndefined()
    })
  })
})

describe('scope defaults differ by profile', () => {
  it('okta: a missing scope → invalid_scope', async () => {
    const h = await harness({ profile: 'okta' })
    const oobCode = await h.start('push@example.test')
    expect(outcome(await h.redeem(oobCode, { scope: undefined }))).toEqual(INVALID_SCOPE)
  })

  it('rfc: a missing scope means openid', async () => {
    const h = await harness({ profile: 'rfc' })
    const oobCode = await h.start('push@example.test')
    await h.control(oobCode, 'approve')
    const res = await h.redeem(oobCode, { scope: undefined })
    expect(res.status).toBe(200)
    expect(res.body.scope).toBe('openid')
    expect(typeof res.body.id_token).toBe('string')
  })
})
