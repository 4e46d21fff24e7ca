import { assert, check, describeResponse, oauthError } from '../../src/suite/index.js'

check('flows/slow-down', 'a poll sooner than interval gets slow_down (or, under okta, authorization_pending)',
  ['OOB-S-SLOW-DOWN-EARLY-POLL', 'OOB-S-IMMEDIATE-FIRST-POLL'],
  async ({ oob, expectOutcome, note }) => {
    const tx = await oob.start('push')
    expectOutcome('OOB-S-IMMEDIATE-FIRST-POLL', await oob.redeem(tx), 'the first poll, sent at once')
    const early = await oob.redeem(tx)
    expectOutcome('OOB-S-SLOW-DOWN-EARLY-POLL', early, `a second poll sent at once (interval ${tx.interval ?? 5} s)`)
    note(`early poll answered ${oauthError(early)}`)
  })

// Two transactions side by side keep the wait to one raised interval rather than two.
check('flows/slow-down-raises-interval', 'after slow_down, the interval of that oob_code is 5 s longer',
  ['OOB-S-SLOW-DOWN-RAISES-INTERVAL'],
  async ({ oob, wait, skip }) => {
    const slowedDown = async () => {
      const tx = await oob.start('push')
      await oob.redeem(tx)
      const early = await oob.redeem(tx)
      if (oauthError(early) !== 'slow_down') {
        skip(`the server answers early polls with ${describeResponse(early)}, not slow_down`)
      }
      return tx
    }
    const [tight, relaxed] = await Promise.all([slowedDown(), slowedDown()])
    const base = tight.interval ?? 5
    await Promise.all([
      (async () => {
        await wait(base + 0.5, 'the old interval, which slow_down should have raised by 5 s')
        const res = await oob.redeem(tight)
        assert(oauthError(res) === 'slow_down', () => `a poll ${base + 0.5} s after slow_down: expected slow_down ` +
          `again (the interval should now be ${base + 5} s), got ${describeResponse(res)}`)
      })(),
      (async () => {
        await wait(base + 5.5, 'the interval raised by slow_down')
        const res = await oob.redeem(relaxed)
        assert(oauthError(res) === 'authorization_pending', () => `a poll ${base + 5.5} s after slow_down: ` +
          `expected authorization_pending, got ${describeResponse(res)}`)
      })(),
    ])
  })
