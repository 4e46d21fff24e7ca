import { check, expectTokens } from '../../src/engine/index.js'

check('flows/reuse', 'an oob_code is redeemed once: a second request after tokens is refused',
  ['OOB-S-OOB-CODE-SINGLE-USE'],
  async ({ oob, user, expectOutcome }) => {
    const tx = await oob.start('sms')
    const otp = await user.otp(tx)
    expectTokens('OOB-S-PROMPT-CORRECT-CODE', await oob.redeem(tx, { binding_code: otp }), 'redeeming with the delivered code')
    expectOutcome('OOB-S-OOB-CODE-SINGLE-USE', await oob.redeem(tx, { binding_code: otp }), 'redeeming the same oob_code again')
  })
