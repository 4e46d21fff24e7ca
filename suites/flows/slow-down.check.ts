import {
  check, describeResponse, expect, notJudged, oauthError, sentTooLate, type CheckContext, type HttpResponse,
  type Transaction,
} from '../../src/engine/index.js'

/** When a request went out, in epoch ms: its last attempt's, so a wait for a 429 or 503 is not counted as ours. */
const sentAt = (res: HttpResponse) => Date.parse(res.exchange.startedAt)

/**
 * Polls `tx` back to back until one poll is sent sooner than `interval` after the previous one (on a loaded
 * machine "at once" can still be late) and returns that early poll's answer and when it went out, with how many
 * slow_down answers all these polls got (each raises the interval by 5 s), or skips after three tries.
 */
async function earlyPoll({ oob, skip }: CheckContext, tx: Transaction):
  Promise<{ res: HttpResponse; slowDowns: number; sentAt: number }> {
  const interval = (tx.interval ?? 5) * 1000
  const first = await oob.redeem(tx)
  let previous = sentAt(first)
  let slowDowns = oauthError(first) === 'slow_down' ? 1 : 0
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await oob.redeem(tx)
    if (oauthError(res) === 'slow_down') slowDowns++
    // By the exchanges' own clock: a wait a 429 or 503 imposed on the request is not counted as early.
    if (sentAt(res) - previous < interval) return { res, slowDowns, sentAt: sentAt(res) }
    previous = sentAt(res)
  }
  return skip(`could not send a poll sooner than interval (${interval / 1000} s) after the previous one: the machine or the network is too slow`)
}

check('flows/slow-down', 'a poll sooner than interval gets slow_down (or, under okta, authorization_pending)',
  ['OOB-S-SLOW-DOWN-EARLY-POLL', 'OOB-S-IMMEDIATE-FIRST-POLL'],
  async (c) => {
    const tx = await c.oob.start('push')
    c.expectOutcome('OOB-S-IMMEDIATE-FIRST-POLL', await c.oob.redeem(tx), 'the first poll, sent at once')
    const { res: early } = await earlyPoll(c, tx)
    c.expectOutcome('OOB-S-SLOW-DOWN-EARLY-POLL', early, `a poll sent sooner than interval (${tx.interval ?? 5} s)`)
    c.note(`early poll answered ${oauthError(early)}`)
  })

// Two transactions side by side keep the wait to one raised interval rather than two. Every slow_down raises the
// interval by 5 s (RFC 8628 §3.5), so the expectation counts all of them, not only the last.
check('flows/slow-down-raises-interval', 'after slow_down, the interval of that oob_code is 5 s longer',
  ['OOB-S-SLOW-DOWN-RAISES-INTERVAL'],
  async (c) => {
    const slowedDown = async () => {
      const tx = await c.oob.start('push')
      const early = await earlyPoll(c, tx)
      if (oauthError(early.res) !== 'slow_down') {
        c.skip(`the server answers early polls with ${describeResponse(early.res)}, not slow_down`)
      }
      return { tx, sentAt: early.sentAt, raised: (tx.interval ?? 5) + 5 * early.slowDowns }
    }
    const [tight, relaxed] = await Promise.all([slowedDown(), slowedDown()])
    // Both polls must fall within the code's lifetime, or start afresh where it is that short.
    const lifetimeLeft = relaxed.tx.expiresIn - (performance.now() - relaxed.tx.receivedAt) / 1000
    if (relaxed.raised + 1.5 > lifetimeLeft) {
      c.skip(`the raised interval (${relaxed.raised} s) outlasts what is left of the oob_code's life ` +
        `(expires_in ${relaxed.tx.expiresIn} s): it cannot be observed`)
    }
    /** The poll `wait` seconds after slow_down, and how long after the slow_down poll it really went out. */
    const pollAfter = async (t: typeof tight, wait: number, what: string) => {
      await c.wait(Math.max(0, wait - (Date.now() - t.sentAt) / 1000), what)
      const res = await c.oob.redeem(t.tx)
      return { res, gap: (sentAt(res) - t.sentAt) / 1000 }
    }
    await Promise.all([
      (async () => {
        const wait = tight.raised - 4.5
        const { res, gap } = await pollAfter(tight, wait, 'less than the interval slow_down raised')
        if (gap >= tight.raised) {
          notJudged(`the poll meant for ${wait} s after slow_down went out after ${gap.toFixed(1)} s, beyond the ` +
            `raised interval (${tight.raised} s): the machine did not keep the schedule`)
        }
        expect('OOB-S-SLOW-DOWN-RAISES-INTERVAL', oauthError(res) === 'slow_down', () => `a poll ${gap.toFixed(1)} s ` +
          `after slow_down: expected slow_down again (the interval should now be ${tight.raised} s), got ${describeResponse(res)}`)
      })(),
      (async () => {
        const wait = relaxed.raised + 0.5
        const { res, gap } = await pollAfter(relaxed, wait, 'the interval raised by slow_down')
        const late = sentTooLate(res)
        if (late) notJudged(late)
        // CIBA Core §11: "increased by at least 5 seconds" — under rfc a larger raise conforms too.
        const raisedMore = c.target.profile === 'rfc' && oauthError(res) === 'slow_down'
        expect('OOB-S-SLOW-DOWN-RAISES-INTERVAL', oauthError(res) === 'authorization_pending' || raisedMore, () =>
          `a poll ${gap.toFixed(1)} s after slow_down: expected authorization_pending, got ${describeResponse(res)}`)
      })(),
    ])
  })
