import { describe, it, expect } from 'vitest'
import type { Exchange } from './model.js'
import { timelineOf } from './timeline.js'

const base = 'https://auth.example.test'
const t0 = Date.UTC(2025, 5, 2, 9, 30, 0)

/** An exchange sent `at` ms after t0. */
function exchange(operation: string, url: string, at: number, status: number | undefined, body = '',
  requestBody?: string): Exchange {
  return {
    operation,
    request: { method: 'POST', url, headers: {}, ...(requestBody !== undefined && { body: requestBody }) },
    ...(status === undefined ? { error: 'timed out after 10 s' } : { response: { status, headers: {}, body } }),
    startedAt: new Date(t0 + at).toISOString(),
    durationMs: 10,
  }
}
const start = (at: number, code: string, answer: object = {}) => exchange('primaryAuthenticate',
  `${base}/oauth2/v1/primary-authenticate`, at, 200,
  JSON.stringify({ oob_code: code, expires_in: 30, interval: 2, channel: 'push', ...answer }), 'login_hint=a')
const poll = (at: number, code: string, status: number | undefined, error?: string) => exchange('token',
  `${base}/oauth2/v1/token`, at, status,
  status === 200 ? '{"access_token":"[REDACTED]"}' : JSON.stringify({ error }), `grant_type=x&oob_code=${code}`)
const control = (at: number, code: string, action: string) =>
  exchange('control', `${base}/control/transactions/${encodeURIComponent(code)}/${action}`, at, 204)

describe('timelineOf', () => {
  it('gives no timeline to a transcript that does not poll an issued code', () => {
    expect(timelineOf([])).toBeUndefined()
    expect(timelineOf([start(0, 'A')])).toBeUndefined()
    expect(timelineOf([poll(0, 'unknown', 400, 'invalid_grant')])).toBeUndefined()
  })

  it('draws an OTP redeemed once only when the client was told to wait or tried again', () => {
    const otp = { interval: undefined, channel: 'sms', binding_method: 'prompt' }
    expect(timelineOf([start(0, 'A', otp), control(10, 'A', 'otp'), poll(20, 'A', 200)])).toBeUndefined()
    expect(timelineOf([start(0, 'A', otp), poll(20, 'A', 400, 'authorization_pending')])?.lanes).toHaveLength(1)
    expect(timelineOf([start(0, 'A', otp), poll(20, 'A', 400, 'invalid_grant'), poll(30, 'A', 200)])?.lanes)
      .toHaveLength(1)
    // A push answer sets the interval: polled, even when the first poll already gets the tokens.
    expect(timelineOf([start(0, 'A'), poll(20, 'A', 200)])?.lanes).toHaveLength(1)
  })

  it('opens the first window at the initiation answer and each later one an interval after the previous send', () => {
    const timeline = timelineOf([start(0, 'A'), poll(10, 'A', 400, 'authorization_pending'),
      control(1000, 'A', 'approve'), poll(2010, 'A', 200)])!
    expect(timeline.origin).toBe('2025-06-02T09:30:00.000Z')
    expect(timeline.endsAt).toBe(2020)
    const [lane] = timeline.lanes
    expect(lane).toMatchObject({ oobCode: 'A', initiatedAt: 0, answeredAt: 10, intervalMs: 2000,
      intervalDefaulted: false, expiresAt: 30_010 })
    expect(lane!.polls).toEqual([
      { at: 10, durationMs: 10, answer: 'pending', outcome: '400 authorization_pending', intervalMs: 2000,
        windowOpensAt: 10, early: false, late: false },
      { at: 2010, durationMs: 10, answer: 'tokens', outcome: '200 tokens', intervalMs: 2000,
        windowOpensAt: 2010, early: false, late: false },
    ])
    expect(lane!.actions).toEqual([{ at: 1000, action: 'approve', outcome: '204' }])
  })

  it('uses 5 s when the answer has no interval, and leaves expiry out when it has no expires_in', () => {
    const [lane] = timelineOf([start(0, 'A', { interval: undefined, expires_in: undefined }),
      poll(10, 'A', 400, 'authorization_pending'), poll(4000, 'A', 400, 'authorization_pending')])!.lanes
    expect(lane).toMatchObject({ intervalMs: 5000, intervalDefaulted: true })
    expect(lane!.expiresAt).toBeUndefined()
    expect(lane!.polls[1]).toMatchObject({ windowOpensAt: 5010, early: true })
  })

  it('raises the window by 5 s per slow_down, for that code from then on', () => {
    const [lane] = timelineOf([start(0, 'A'), poll(10, 'A', 400, 'slow_down'), poll(7010, 'A', 400, 'slow_down'),
      poll(17_000, 'A', 400, 'authorization_pending'), poll(29_000, 'A', 200)])!.lanes
    expect(lane!.polls.map((p) => [p.answer, p.intervalMs, p.windowOpensAt, p.early])).toEqual([
      ['slow-down', 2000, 10, false],
      ['slow-down', 7000, 7010, false],
      // 17.000 s < 7.010 + 12 s: the second slow_down raised the interval to 12 s.
      ['pending', 12_000, 19_010, true],
      ['tokens', 12_000, 29_000, false],
    ])
  })

  it('flags polls sent before their window or after expiry, within the client-check tolerances', () => {
    const [lane] = timelineOf([start(0, 'A'), poll(10, 'A', 400, 'authorization_pending'),
      poll(1950, 'A', 400, 'authorization_pending'), poll(3000, 'A', 400, 'authorization_pending'),
      poll(30_100, 'A', 400, 'expired_token'), poll(30_200, 'A', 429), poll(40_000, 'A', undefined)])!.lanes
    expect(lane!.polls.map((p) => [p.answer, p.outcome, p.early, p.late])).toEqual([
      ['pending', '400 authorization_pending', false, false],
      ['pending', '400 authorization_pending', false, false],
      ['pending', '400 authorization_pending', true, false],
      // 90 ms after expiry: within the tolerance.
      ['error', '400 expired_token', false, false],
      ['unavailable', '429', true, true],
      ['no-response', 'no response: timed out after 10 s', false, true],
    ])
  })

  it('draws one lane per oob_code, actions on their own code, and skips codes that were never polled', () => {
    const timeline = timelineOf([start(0, 'A/1'), start(5, 'B'), start(8, 'C'),
      poll(20, 'B', 400, 'authorization_pending'), poll(30, 'A/1', 400, 'authorization_pending'),
      control(40, 'A/1', 'deny'), control(50, 'B', 'otp'), poll(2100, 'A/1', 400, 'access_denied')])!
    expect(timeline.lanes.map((l) => [l.oobCode, l.polls.length, l.actions.map((a) => a.action)])).toEqual([
      ['A/1', 2, ['deny']],
      ['B', 1, ['otp']],
    ])
    expect(timeline.lanes[1]!.polls[0]!.windowOpensAt).toBe(15)
  })

  it('takes an interval or expires_in that is not a finite number of seconds ≥ 0 as absent', () => {
    for (const bad of ['5', -1, 1e308, null]) {
      const [lane] = timelineOf([start(0, 'A', { interval: bad, expires_in: bad }),
        poll(10, 'A', 400, 'authorization_pending')])!.lanes
      expect(lane).toMatchObject({ intervalMs: 5000, intervalDefaulted: true })
      expect(lane!.expiresAt).toBeUndefined()
    }
  })

  it('leaves out an exchange whose time cannot be read', () => {
    const timeline = timelineOf([start(0, 'A'), { ...poll(10, 'A', 400, 'slow_down'), startedAt: 'yesterday' },
      poll(2500, 'A', 400, 'authorization_pending')])!
    expect(timeline.lanes[0]!.polls.map((p) => [p.at, p.intervalMs])).toEqual([[2500, 2000]])
  })
})
