import { check } from '../../src/engine/index.js'

check('flows/expiry', 'an expired oob_code is refused with the profile\'s expiry error',
  ['OOB-S-OOB-CODE-EXPIRES'],
  async ({ oob, expire, expectOutcome }) => {
    const tx = await oob.start('push')
    await expire(tx)
    expectOutcome('OOB-S-OOB-CODE-EXPIRES', await oob.redeem(tx), 'a poll after the oob_code expired')
  })
