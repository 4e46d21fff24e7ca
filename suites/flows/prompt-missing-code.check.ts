import { check } from '../../src/engine/index.js'

check('flows/prompt-missing-code', 'sms: a token request without binding_code is an error, not a pending poll',
  ['OOB-S-PROMPT-MISSING-CODE'],
  async ({ oob, expectOutcome }) => {
    const tx = await oob.start('sms')
    expectOutcome('OOB-S-PROMPT-MISSING-CODE', await oob.redeem(tx), 'a token request for an sms transaction without binding_code')
  })
