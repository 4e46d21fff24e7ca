import { assert, check, expectTokens, type UserKind } from '../../src/suite/index.js'

for (const channel of ['sms', 'voice', 'email'] as const satisfies UserKind[]) {
  check(`flows/${channel}-otp`, `${channel}: binding_method prompt, no interval, tokens for the delivered code`,
    ['OOB-S-PROMPT-BINDING-METHOD', 'OOB-S-NO-INTERVAL-FOR-PROMPT', 'OOB-S-PROMPT-CORRECT-CODE'],
    async ({ oob, user }) => {
      const tx = await oob.start(channel)
      assert(tx.channel === channel, `channel is "${tx.channel}", expected ${channel}`)
      assert(tx.bindingMethod === 'prompt', `binding_method is "${tx.bindingMethod}" for ${channel}, expected prompt`)
      assert(tx.interval === undefined, `a ${channel} transaction returned interval ${tx.interval}, inviting polling`)
      const otp = await user.otp(tx)
      expectTokens(await oob.redeem(tx, { binding_code: otp }), `redeeming with the ${channel} code`)
    })
}
