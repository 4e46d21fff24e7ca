import { check, expect, expectTokens } from '../../src/engine/index.js'

check('flows/number-challenge', 'number challenge: binding_code shown, polls without it, tokens after the right tap',
  ['OOB-S-PUSH-BINDING-METHOD', 'OOB-S-BINDING-CODE-IFF-TRANSFER', 'OOB-S-POLL-PENDING', 'OOB-S-TOKENS-AFTER-APPROVAL'],
  async ({ oob, user, wait, expectOutcome }) => {
    const tx = await oob.start('number')
    expect('OOB-S-PUSH-BINDING-METHOD', tx.bindingMethod === 'transfer', `binding_method is "${tx.bindingMethod}", expected transfer`)
    expect('OOB-S-BINDING-CODE-IFF-TRANSFER', tx.bindingCode !== undefined && tx.bindingCode.length > 0, 'binding_method is transfer but binding_code is missing')
    await wait(tx.interval ?? 5, 'the polling interval')
    expectOutcome('OOB-S-POLL-PENDING', await oob.redeem(tx), 'a poll before the user tapped a number')
    await user.approve(tx, tx.bindingCode)
    await wait(tx.interval ?? 5, 'the polling interval')
    expectTokens('OOB-S-TOKENS-AFTER-APPROVAL', await oob.redeem(tx), 'the poll after the user tapped the matching number')
  })
