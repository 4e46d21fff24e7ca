import { check, expect, expectTokens, type UserKind } from '../../src/engine/index.js'

for (const channel of ['sms', 'voice', 'email'] as const satisfies UserKind[]) {
  check(`flows/${channel}-otp`, `${channel}: binding_method prompt, no interval, tokens for the delivered code`,
    ['OOB-S-PROMPT-BINDING-METHOD', 'OOB-S-NO-INTERVAL-FOR-PROMPT', 'OOB-S-PROMPT-CORRECT-CODE'],
    async ({ oob, user }) => {
      const tx = await oob.start(channel)
      expect('OOB-S-PROMPT-BINDING-METHOD', tx.channel === channel, `channel is "${tx.channel}", expected ${channel}`)
      expect('OOB-S-PROMPT-BINDING-METHOD', tx.bindingMethod === 'prompt', `binding_method is "${tx.bindingMethod}" for ${channel}, expected prompt`)
      expect('OOB-S-NO-INTERVAL-FOR-PROMPT', tx.interval === undefined, `a ${channel} transaction returned interval ${tx.interval}, inviting polling`)
      const otp = await user.otp(tx)
      expectTokens('OOB-S-PROMPT-CORRECT-CODE', await oob.redeem(tx, { binding_code: otp }), `redeeming with the ${channel} code`)
    })
}
