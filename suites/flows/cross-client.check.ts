import {
  check, describeResponse, expectationFor, expectEach, hasTokens, meets, notJudged, pass,
} from '../../src/engine/index.js'

check('flows/cross-client', 'an approved oob_code yields nothing to another client',
  ['OOB-S-OOB-CODE-CLIENT-BOUND', 'OOB-S-NO-FOREIGN-TOKENS'],
  async ({ oob, user, wait, target }) => {
    const tx = await oob.start('push')
    await user.approve(tx)
    await wait(tx.interval ?? 5, 'the polling interval')
    const stolen = await oob.token(tx.oobCode, {}, { client: 'confidential' })
    const what = `another client redeeming the approved oob_code: ${describeResponse(stolen)}`
    if (stolen.status === 401 && !hasTokens(stolen)) {
      // The other client was not authenticated at all: nothing was learnt about the code's binding.
      pass('OOB-S-NO-FOREIGN-TOKENS', what)
      notJudged(`the confidential client could not authenticate (${describeResponse(stolen)}), so the ` +
        'binding of the code to its client was not tested', 'OOB-S-OOB-CODE-CLIENT-BOUND')
    }
    const expectation = expectationFor('OOB-S-OOB-CODE-CLIENT-BOUND', target.profile)
    expectEach([
      ['OOB-S-NO-FOREIGN-TOKENS', !hasTokens(stolen) && stolen.status !== 200, `${what}; expected an error`],
      ['OOB-S-OOB-CODE-CLIENT-BOUND', meets(stolen, expectation), `${what}; expected ${expectation.text} (${target.profile})`],
    ])
  })
