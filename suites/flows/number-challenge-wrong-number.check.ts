import { check, expectNoTokens } from '../../src/engine/index.js'

check('flows/number-challenge-wrong-number', 'number challenge: tapping the wrong number never yields tokens',
  ['OOB-S-TRANSFER-WRONG-NUMBER'],
  async ({ oob, user, wait, expectOutcome }) => {
    const tx = await oob.start('number')
    const wrong = tx.bindingCode === '11' ? '12' : '11'
    await user.approve(tx, wrong)
    await wait(tx.interval ?? 5, 'the polling interval')
    const res = await oob.redeem(tx)
    expectOutcome('OOB-S-TRANSFER-WRONG-NUMBER', res, `the poll after the user tapped ${wrong} instead of ${tx.bindingCode}`)
    await wait(tx.interval ?? 5, 'the polling interval')
    expectNoTokens('OOB-S-TRANSFER-WRONG-NUMBER', await oob.redeem(tx), 'a second poll after the wrong number')
  })
