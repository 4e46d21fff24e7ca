import type { HttpResponse } from '../../src/http/client.js'
import { check, describeResponse, expect, hasTokens } from '../../src/engine/index.js'

const CONCURRENT = 20

function exactlyOne(responses: HttpResponse[], situation: string): void {
  const winners = responses.filter(hasTokens).length
  const others = [...new Set(responses.filter((r) => !hasTokens(r)).map(describeResponse))].join(', ')
  expect('OOB-S-OOB-CODE-SINGLE-USE', winners === 1, `${situation}: ${winners} of ${CONCURRENT} got tokens, expected exactly one` +
    (others ? ` (the others: ${others})` : ''))
}

// Between reading "approved" and marking the code consumed, nothing may let a second request through
// (CIBA §10.1.1: once redeemed for tokens, the auth_req_id "is no longer valid").
check('security/concurrent-redemption', `${CONCURRENT} simultaneous redemptions of an oob_code: tokens once`,
  ['OOB-S-OOB-CODE-SINGLE-USE'],
  async ({ oob, user, wait, note }) => {
    const [push, sms] = await Promise.all([oob.start('push'), oob.start('sms')])
    const otp = await user.otp(sms)
    // Polls sooner than interval after initiation might be told to slow down instead of racing.
    await wait(push.interval ?? 5, 'the polling interval before the simultaneous polls')
    await user.approve(push)
    const burst = (send: () => Promise<HttpResponse>) => Promise.all(Array.from({ length: CONCURRENT }, send))
    const [polls, redemptions] = await Promise.all([
      burst(() => oob.redeem(push)),
      burst(() => oob.redeem(sms, { binding_code: otp })),
    ])
    exactlyOne(polls, `${CONCURRENT} simultaneous polls right after approval`)
    exactlyOne(redemptions, `${CONCURRENT} simultaneous redemptions with the delivered code`)
    note(`push and sms: one token response each out of ${CONCURRENT}`)
  })
