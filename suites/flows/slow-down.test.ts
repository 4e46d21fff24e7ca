import { assert, check, describeResponse, oauthError, type CheckContext, type HttpResponse, type Transaction }
  from '../../src/suite/index.js'

/**
 * Polls `tx` back to back until one poll is sent sooner than `interval` after the previous one (on a loaded
 * machine "at once" can still be late) and returns that early poll's answer, or skips after three tries.
 */
async function earlyPoll({ oob, skip }: CheckContext, tx: Transaction): Promise<HttpResponse> {
  const interval = (tx.interval ?? 5) * 1000
  let previous = performance.now()
  await oob.redeem(tx)
  for (let attempt = 0; attempt < 3; attempt++) {
    const sent = performance.now()
    const res = await oob.redeem(tx)
    if (sent - previous < interval) return res
    previous = sent
  }
  return skip(`could not send a poll sooner than interval (${interval / 1000} s) after the previous one: the machine or the network is too slow`)
}

check('flows/slow-down', 'a poll sooner than interval gets slow_down (or, under okta, authorization_pending)',
  ['OOB-S-SLOW-DOWN-EARLY-POLL', 'OOB-S-IMMEDIATE-FIRST-POLL'],
  async (c) => {
    const tx = await c.oob.start('push')
    c.expectOutcome('OOB-S-IMMEDIATE-FIRST-POLL', await c.oob.redeem(tx), 'the first poll, sent at once')
    const early = await earlyPoll(c, tx)
    c.expectOutcome('OOB-S-SLOW-DOWN-EARLY-POLL', early, `a poll sent sooner than interval (${tx.interval ?? 5} s)`)
    c.note(`early poll answered ${oauthError(early)}`)
  })

// Two transactions side by side keep the wait to one raised interval rather than two.
check('flows/slow-down-raises-interval', 'after slow_down, the interval of that oob_code is 5 s longer',
  ['OOB-S-SLOW-DOWN-RAISES-INTERVAL'],
  async (c) => {
    const slowedDown = async () => {
      const tx = await c.oob.start('push')
      const early = await earlyPoll(c, tx)
      if (oauthError(early) !== 'slow_down') {
        c.skip(`the server answers early polls with ${describeResponse(early)}, not slow_down`)
      }
      return tx
    }
    const [tight, relaxed] = await Promise.all([slowedDown(), slowedDown()])
    const base = tight.interval ?? 5
    await Promise.all([
      (async () => {
        await c.wait(base + 0.5, 'the old interval, which slow_down should have raised by 5 s')
        const res = await c.oob.redeem(tight)
        assert(oauthError(res) === 'slow_down', () => `a poll ${base + 0.5} s after slow_down: expected slow_down ` +
          `again (the interval should now be ${base + 5} s), got ${describeResponse(res)}`)
      })(),
      (async () => {
        await c.wait(base + 5.5, 'the interval raised by slow_down')
        const res = await c.oob.redeem(relaxed)
        assert(oauthError(res) === 'authorization_pending', () => `a poll ${base + 5.5} s after slow_down: ` +
          `expected authorization_pending, got ${describeResponse(res)}`)
      })(),
    ])
  })
