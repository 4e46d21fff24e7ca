import { check, expectTokens, pass } from '../../src/engine/index.js'

check('flows/push-happy-path', 'push: pending until the user approves, then tokens',
  ['OOB-S-INIT-FORM-POST', 'OOB-S-TOKEN-FORM-POST', 'OOB-S-PUBLIC-CLIENT', 'OOB-S-POLL-PENDING',
    'OOB-S-IMMEDIATE-FIRST-POLL', 'OOB-S-TOKENS-AFTER-APPROVAL'],
  async ({ oob, user, wait, expectOutcome, note }) => {
    const tx = await oob.start('push')
    expectOutcome('OOB-S-IMMEDIATE-FIRST-POLL', await oob.redeem(tx), 'the first poll, sent at once')
    await wait(tx.interval ?? 5, 'the polling interval')
    expectOutcome('OOB-S-POLL-PENDING', await oob.redeem(tx), 'a poll before the user acted')
    await user.approve(tx)
    await wait(tx.interval ?? 5, 'the polling interval')
    expectTokens('OOB-S-TOKENS-AFTER-APPROVAL', await oob.redeem(tx), 'the poll after approval')
    pass('OOB-S-TOKEN-FORM-POST', 'a form-encoded token request got tokens')
    pass('OOB-S-PUBLIC-CLIENT', 'the public client got tokens with client_id alone')
    note('2 pending polls, then tokens')
  })
