import { check, expectNoTokens } from '../../src/engine/index.js'

check('flows/denial', 'push denied: a terminal error, and never tokens afterwards',
  ['OOB-S-DENIAL-ERROR', 'OOB-S-DENIAL-FINAL'],
  async ({ oob, user, wait, expectOutcome }) => {
    const tx = await oob.start('push')
    await user.deny(tx)
    expectOutcome('OOB-S-DENIAL-ERROR', await oob.redeem(tx), 'the poll after the user denied')
    await wait(tx.interval ?? 5, 'the polling interval')
    expectNoTokens('OOB-S-DENIAL-FINAL', await oob.redeem(tx), 'a second poll after denial')
  })
