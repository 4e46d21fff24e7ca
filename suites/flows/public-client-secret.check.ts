import { check, unknownCodeTokenForm } from '../../src/engine/index.js'

// RFC 6749 §5.2: a client registered for `none` that sends a secret uses an unsupported method.
check('flows/public-client-with-secret', 'the public client sending a client_secret gets invalid_client',
  ['OOB-S-BAD-CLIENT-SECRET'],
  async ({ oob, target, expectOutcome }) => {
    const { clientId } = target.accounts.clients.public
    const body = unknownCodeTokenForm(target, { client_id: clientId, client_secret: 'not-a-secret' })
    expectOutcome('OOB-S-BAD-CLIENT-SECRET', await oob.post('token', body),
      'a token request by the public client with a client_secret')
  })
