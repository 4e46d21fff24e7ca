import { check, expectTokens, type AuthMethod } from '../../src/engine/index.js'

const REQUIREMENT: Record<Exclude<AuthMethod, 'none'>, string> = {
  client_secret_basic: 'OOB-S-CLIENT-SECRET-BASIC',
  client_secret_post: 'OOB-S-CLIENT-SECRET-POST',
}

for (const auth of ['client_secret_basic', 'client_secret_post'] as const) {
  check(`flows/client-auth-${auth.replaceAll('_', '-')}`, `the confidential client authenticates with ${auth}`,
    [REQUIREMENT[auth]],
    async ({ oob, user }) => {
      const tx = await oob.start('sms', { client: 'confidential', auth })
      const otp = await user.otp(tx)
      expectTokens(REQUIREMENT[auth], await oob.redeem(tx, { binding_code: otp }), `redeeming with ${auth}`)
    })
}
