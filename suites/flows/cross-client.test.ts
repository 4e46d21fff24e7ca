import { check, expectNoTokens } from '../../src/suite/index.js'

check('flows/cross-client', 'an approved oob_code yields nothing to another client',
  ['OOB-S-OOB-CODE-CLIENT-BOUND', 'OOB-S-NO-FOREIGN-TOKENS'],
  async ({ oob, user, wait, expectOutcome }) => {
    const tx = await oob.start('push')
    await user.approve(tx)
    await wait(tx.interval ?? 5, 'the polling interval')
    const stolen = await oob.token(tx.oobCode, {}, { client: 'confidential' })
    expectNoTokens(stolen, 'another client redeeming the approved oob_code')
    expectOutcome('OOB-S-OOB-CODE-CLIENT-BOUND', stolen, 'another client redeeming the approved oob_code')
  })
