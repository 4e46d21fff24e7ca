import { check } from '../../src/engine/index.js'

check('flows/token-missing-oob-code', 'an OOB token request without oob_code is rejected',
  ['OOB-S-TOKEN-MISSING-OOB-CODE'],
  async ({ oob, expectOutcome }) => {
    expectOutcome('OOB-S-TOKEN-MISSING-OOB-CODE', await oob.token('', { oob_code: undefined }), 'a token request without oob_code')
  })

check('flows/unknown-oob-code', 'an oob_code the server never issued gets invalid_grant',
  ['OOB-S-UNKNOWN-OOB-CODE'],
  async ({ oob, expectOutcome }) => {
    expectOutcome('OOB-S-UNKNOWN-OOB-CODE', await oob.token('ftNeverIssuedByThisServer0000000000'), 'a token request for an unknown oob_code')
  })

check('flows/token-missing-scope', 'an OOB token request without scope is rejected (okta)',
  ['OOB-S-TOKEN-MISSING-SCOPE'],
  async ({ oob, target, skip, expectOutcome }) => {
    if (target.profile !== 'okta') skip('scope is optional under the rfc profile')
    const tx = await oob.start('push')
    expectOutcome('OOB-S-TOKEN-MISSING-SCOPE', await oob.redeem(tx, { scope: undefined }), 'a token request without scope')
  })

check('flows/token-grant-not-enabled', 'a token request by a client without the OOB grant is refused',
  ['OOB-S-TOKEN-GRANT-NOT-ENABLED'],
  async ({ oob, expectOutcome }) => {
    const tx = await oob.start('push')
    const res = await oob.token(tx.oobCode, {}, { client: 'noGrant' })
    expectOutcome('OOB-S-TOKEN-GRANT-NOT-ENABLED', res, 'a token request by the client without the OOB grant')
  })
