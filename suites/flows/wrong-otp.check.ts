import { check, expectTokens } from '../../src/engine/index.js'

check('flows/wrong-otp', 'sms: a wrong binding_code gets invalid_grant, the right one still works',
  ['OOB-S-PROMPT-WRONG-CODE', 'OOB-S-PROMPT-CORRECT-CODE'],
  async ({ oob, user, expectOutcome }) => {
    const tx = await oob.start('sms')
    const otp = await user.otp(tx)
    const wrong = otp === '000000' ? '000001' : '000000'
    expectOutcome('OOB-S-PROMPT-WRONG-CODE', await oob.redeem(tx, { binding_code: wrong }), 'redeeming with a wrong code')
    expectTokens('OOB-S-PROMPT-CORRECT-CODE', await oob.redeem(tx, { binding_code: otp }), 'redeeming with the right code after one wrong attempt')
  })
