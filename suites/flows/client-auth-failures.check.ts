import { basicAuthorization, check, expect, unknownCodeTokenForm } from '../../src/engine/index.js'

check('flows/wrong-secret-post', 'a wrong client_secret in the body gets 401 invalid_client',
  ['OOB-S-BAD-CLIENT-SECRET'],
  async ({ oob, target, expectOutcome }) => {
    const { clientId } = target.accounts.clients.confidential
    const res = await oob.post('token', unknownCodeTokenForm(target, { client_id: clientId, client_secret: 'not-the-secret' }))
    expectOutcome('OOB-S-BAD-CLIENT-SECRET', res, 'a token request with a wrong client_secret')
  })

check('flows/wrong-secret-basic', 'a wrong secret in Basic gets 401 invalid_client with WWW-Authenticate',
  ['OOB-S-BAD-CLIENT-SECRET', 'OOB-S-WWW-AUTHENTICATE'],
  async ({ oob, target, expectOutcome }) => {
    const { clientId } = target.accounts.clients.confidential
    const res = await oob.post('token', unknownCodeTokenForm(target, {}), { authorization: basicAuthorization(clientId, 'not-the-secret') })
    expectOutcome('OOB-S-BAD-CLIENT-SECRET', res, 'a token request with a wrong Basic secret')
    const challenge = res.headers['www-authenticate'] ?? ''
    expect('OOB-S-WWW-AUTHENTICATE', res.status === 401 && /^\s*basic\b/i.test(challenge),
      `${res.status} after Basic authentication: WWW-Authenticate is "${challenge}", expected a Basic challenge`)
  })

check('flows/missing-client-credentials', 'the confidential client without credentials is refused',
  ['OOB-S-CLIENT-AUTH-REQUIRED'],
  async ({ oob, target, expectOutcome }) => {
    const { clientId } = target.accounts.clients.confidential
    const res = await oob.authenticate('push', { client_id: clientId }, { client: 'public' })
    expectOutcome('OOB-S-CLIENT-AUTH-REQUIRED', res, 'initiation by the confidential client with client_id only')
  })

check('flows/unknown-client', 'an unknown client_id gets invalid_client',
  ['OOB-S-UNKNOWN-CLIENT'],
  async ({ oob, expectOutcome }) => {
    const res = await oob.authenticate('push', { client_id: 'oob-conformance-no-such-client' })
    expectOutcome('OOB-S-UNKNOWN-CLIENT', res, 'initiation with an unknown client_id')
  })

check('flows/two-auth-methods', 'Basic and client_secret in the body together are rejected',
  ['OOB-S-ONE-CLIENT-AUTH-METHOD'],
  async ({ oob, target, expectOutcome }) => {
    const { clientId, clientSecret } = target.accounts.clients.confidential
    const body = unknownCodeTokenForm(target, { client_id: clientId, client_secret: clientSecret })
    const res = await oob.post('token', body, { authorization: basicAuthorization(clientId, clientSecret ?? '') })
    expectOutcome('OOB-S-ONE-CLIENT-AUTH-METHOD', res, 'a token request authenticated twice (Basic and client_secret_post)')
  })

check('flows/secret-in-uri', 'a client_secret in the query string does not authenticate',
  ['OOB-S-NO-SECRET-IN-URI'],
  async ({ http, target, expectOutcome }) => {
    const { clientId, clientSecret } = target.accounts.clients.confidential
    const url = `${target.endpoints.token}?${new URLSearchParams({ client_id: clientId, client_secret: clientSecret ?? '' })}`
    const res = await http.send({
      url, method: 'POST', operation: 'token', body: unknownCodeTokenForm(target, {}),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    })
    expectOutcome('OOB-S-NO-SECRET-IN-URI', res, 'a token request with the client credentials in the URI')
  })
