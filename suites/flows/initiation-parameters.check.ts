import { check, OOB_GRANT_TYPE } from '../../src/engine/index.js'

check('flows/missing-login-hint', 'initiation without login_hint is rejected',
  ['OOB-S-INIT-MISSING-LOGIN-HINT'],
  async ({ oob, expectOutcome }) => {
    expectOutcome('OOB-S-INIT-MISSING-LOGIN-HINT', await oob.authenticate('push', { login_hint: undefined }),
      'initiation without login_hint')
  })

check('flows/missing-channel-hint', 'initiation without channel_hint is rejected',
  ['OOB-S-INIT-MISSING-CHANNEL-HINT'],
  async ({ oob, expectOutcome }) => {
    expectOutcome('OOB-S-INIT-MISSING-CHANNEL-HINT', await oob.authenticate('push', { channel_hint: undefined }),
      'initiation without channel_hint')
  })

check('flows/unsupported-channel-hint', 'an unsupported channel_hint is rejected',
  ['OOB-S-INIT-BAD-CHANNEL-HINT'],
  async ({ oob, expectOutcome }) => {
    expectOutcome('OOB-S-INIT-BAD-CHANNEL-HINT', await oob.authenticate('push', { channel_hint: 'carrier-pigeon' }),
      'initiation with channel_hint=carrier-pigeon')
  })

check('flows/challenge-hint-required', '/primary-authenticate without challenge_hint is rejected',
  ['OOB-S-CHALLENGE-HINT-REQUIRED'],
  async ({ oob, expectOutcome }) => {
    const res = await oob.authenticate('push', { challenge_hint: undefined }, { endpoint: 'primaryAuthenticate' })
    expectOutcome('OOB-S-CHALLENGE-HINT-REQUIRED', res, '/primary-authenticate without challenge_hint')
  })

check('flows/challenge-hint-invalid', '/primary-authenticate with another grant as challenge_hint is rejected',
  ['OOB-S-CHALLENGE-HINT-INVALID'],
  async ({ oob, expectOutcome }) => {
    const res = await oob.authenticate('push', { challenge_hint: 'urn:okta:params:oauth:grant-type:otp' },
      { endpoint: 'primaryAuthenticate' })
    expectOutcome('OOB-S-CHALLENGE-HINT-INVALID', res, '/primary-authenticate with challenge_hint=…:otp')
  })

check('flows/oob-authenticate-alias', 'the deprecated /oob-authenticate works, also without challenge_hint',
  ['OOB-S-OOB-AUTH-ALIAS', 'OOB-S-OOB-AUTH-NO-CHALLENGE-HINT'],
  async ({ oob, expectOutcome }) => {
    const withHint = await oob.authenticate('push', { challenge_hint: OOB_GRANT_TYPE }, { endpoint: 'oobAuthenticate' })
    expectOutcome('OOB-S-OOB-AUTH-ALIAS', withHint, '/oob-authenticate with challenge_hint')
    const without = await oob.authenticate('push', {}, { endpoint: 'oobAuthenticate' })
    expectOutcome('OOB-S-OOB-AUTH-NO-CHALLENGE-HINT', without, '/oob-authenticate without challenge_hint (Kotlin SDK 1.0, PAM modules)')
  })

check('flows/unenrolled-user', 'a user without the authenticator is refused',
  ['OOB-S-AUTHENTICATOR-UNAVAILABLE'],
  async ({ oob, expectOutcome }) => {
    expectOutcome('OOB-S-AUTHENTICATOR-UNAVAILABLE', await oob.authenticate('unenrolled'), 'initiation for the unenrolled user')
    const wrongChannel = await oob.authenticate('push', { channel_hint: 'sms' })
    expectOutcome('OOB-S-AUTHENTICATOR-UNAVAILABLE', wrongChannel, 'initiation for the push-only user with channel_hint=sms')
  })

check('flows/init-grant-not-enabled', 'initiation by a client without the OOB grant is refused',
  ['OOB-S-INIT-GRANT-NOT-ENABLED'],
  async ({ oob, expectOutcome }) => {
    const res = await oob.authenticate('push', {}, { client: 'noGrant' })
    expectOutcome('OOB-S-INIT-GRANT-NOT-ENABLED', res, 'initiation by the client without the OOB grant')
  })
