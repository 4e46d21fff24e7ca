import { check, describeResponse, expect, expectTokens, formBody, oauthError, OOB_GRANT_TYPE } from '../../src/engine/index.js'

check('flows/json-body-rejected', 'a JSON body at the token endpoint is not accepted',
  ['OOB-S-JSON-BODY-REJECTED'],
  async ({ oob, user, target, expectOutcome }) => {
    const tx = await oob.start('sms')
    const otp = await user.otp(tx)
    const json = JSON.stringify({ client_id: target.accounts.clients.public.clientId, grant_type: OOB_GRANT_TYPE,
      oob_code: tx.oobCode, scope: target.accounts.scope, binding_code: otp })
    const res = await oob.post('token', json, { 'content-type': 'application/json' })
    expectOutcome('OOB-S-JSON-BODY-REJECTED', res, 'a token request with a JSON body (and the right code)')
  })

check('flows/repeated-parameters', 'a parameter sent twice is rejected with invalid_request',
  ['OOB-S-REJECT-REPEATED-PARAMS'],
  async ({ oob, user, target, expectOutcome }) => {
    const tx = await oob.start('sms')
    const otp = await user.otp(tx)
    const body = formBody({ client_id: target.accounts.clients.public.clientId, grant_type: OOB_GRANT_TYPE,
      oob_code: [tx.oobCode, tx.oobCode], scope: target.accounts.scope, binding_code: otp })
    expectOutcome('OOB-S-REJECT-REPEATED-PARAMS', await oob.post('token', body), 'a token request with oob_code twice')
  })

check('flows/unknown-parameters-ignored', 'unrecognised parameters are ignored',
  ['OOB-S-IGNORE-UNKNOWN-PARAMS'],
  async ({ oob, user }) => {
    const tx = await oob.start('sms')
    const otp = await user.otp(tx)
    const res = await oob.redeem(tx, { binding_code: otp, x_conformance_extension: 'ignored', acr_values: 'urn:x' })
    expectTokens('OOB-S-IGNORE-UNKNOWN-PARAMS', res, 'redeeming with two extra, unrecognised parameters')
  })

check('flows/empty-parameter-as-omitted', 'an empty parameter is treated like an omitted one',
  ['OOB-S-EMPTY-PARAM-AS-OMITTED'],
  async ({ oob }) => {
    const empty = await oob.authenticate('push', { channel_hint: '' })
    const omitted = await oob.authenticate('push', { channel_hint: undefined })
    expect('OOB-S-EMPTY-PARAM-AS-OMITTED', empty.status === omitted.status && oauthError(empty) === oauthError(omitted),
      () => `initiation with channel_hint= (empty) got ${describeResponse(empty)}, without channel_hint ` +
        `${describeResponse(omitted)}: RFC 6749 §3.2 makes them the same request`)
  })
