import { check, expectNoTokens } from '../../src/engine/index.js'

check('flows/otp-case-sensitive', 'email: the code is compared case-sensitively',
  ['OOB-S-PROMPT-CODE-CASE-SENSITIVE'],
  async ({ oob, user, skip, expectOutcome }) => {
    const tx = await oob.start('email')
    const otp = await user.otp(tx)
    const flipped = [...otp].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join('')
    if (flipped === otp) skip(`the email code "${otp.replace(/./g, '*')}" has no letters to change case`)
    const res = await oob.redeem(tx, { binding_code: flipped })
    expectNoTokens('OOB-S-PROMPT-CODE-CASE-SENSITIVE', res, 'redeeming with the code in the other case')
    expectOutcome('OOB-S-PROMPT-CODE-CASE-SENSITIVE', res, 'redeeming with the code in the other case')
  })
