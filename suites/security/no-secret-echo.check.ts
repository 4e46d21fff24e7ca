import {
  basicAuthorization, check, fail, formBody, pass, OOB_GRANT_TYPE, unknownCodeTokenForm, type CheckContext,
} from '../../src/engine/index.js'

const WRONG_SECRET = 'oob-conformance-wrong-secret-Q7x'

/**
 * Fails when a response this check received from the endpoints under test (not from the test-control API,
 * whose job is to reveal the OTP) contains what `matches` finds, in a header or in the body; returns how many
 * responses it read.
 */
function expectNowhere(c: CheckContext, requirement: string, what: string, matches: (text: string) => boolean): number {
  const exchanges = c.exchanges()
  let read = 0
  for (const { operation, response } of exchanges) {
    if (operation === 'control' || response === undefined) continue
    read++
    const { status, headers, body = '' } = response
    const header = Object.keys(headers).find((name) => matches(headers[name]!))
    if (header !== undefined || matches(body)) {
      const where = header === undefined ? 'its body' : `its ${header} header`
      fail(requirement, `the ${status} response to a ${operation} request carries ${what} in ${where}`)
    }
  }
  pass(requirement, `${read} responses read`)
  return read
}

/** A secret as a response might carry it: raw, percent- or form-encoded, JSON-escaped, or in Basic. */
function secretForms(clientId: string, secret: string): string[] {
  return [
    secret, encodeURIComponent(secret), formBody({ s: secret }).slice(2), JSON.stringify(secret).slice(1, -1),
    basicAuthorization(clientId, secret).slice('Basic '.length),
  ]
}

check('security/no-secret-echo', 'no response echoes the client secret, not even a wrong one',
  ['OOB-S-NO-SECRET-ECHO'],
  async (c: CheckContext) => {
    const { oob, user, target } = c
    const { clientId, clientSecret } = target.accounts.clients.confidential
    if (!clientSecret) c.skip('no secret configured for the confidential client')
    const basic = { client: 'confidential' as const, auth: 'client_secret_basic' as const }
    const post = { client: 'confidential' as const, auth: 'client_secret_post' as const }
    const form = (extra: Record<string, string | string[]>) =>
      unknownCodeTokenForm(target, { client_id: clientId, ...extra })
    const wrongBasic = basicAuthorization(clientId, WRONG_SECRET)
    // client_secret_post is a MAY under rfc (RFC 6749 §2.3.1): a server without it gets the push over Basic too.
    const viaPost = async () => (await oob.authenticate('push', {}, post)).status === 200 ? post : basic
    const [sms, push] = await Promise.all([oob.start('sms', basic), viaPost().then((auth) => oob.start('push', auth))])
    await Promise.all([
      oob.redeem(sms, { binding_code: await user.otp(sms) }),
      oob.redeem(push),
      // Failed authentication, where a careless error_description quotes what it got, or what it wanted.
      oob.post('token', form({ client_secret: WRONG_SECRET })),
      oob.post('token', unknownCodeTokenForm(target, {}), { authorization: wrongBasic }),
      oob.authenticate('push', { client_id: clientId, client_secret: WRONG_SECRET }, { client: 'public' }),
      // Malformed requests that carry the right secret.
      oob.post('token', form({ client_secret: [clientSecret, clientSecret] })),
      oob.post('token', form({ client_secret: clientSecret, grant_type: `${OOB_GRANT_TYPE}:unknown` })),
    ])
    const forms = [...secretForms(clientId, clientSecret), ...secretForms(clientId, WRONG_SECRET)]
    const read = expectNowhere(c, 'OOB-S-NO-SECRET-ECHO', 'the client secret', (text) => forms.some((f) => text.includes(f)))
    c.note(`${read} responses to the confidential client, with its right or a wrong secret: none echoes it`)
  })

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

check('security/no-otp-disclosure', 'no initiation or token response reveals the OTP',
  ['OOB-S-NO-OTP-DISCLOSURE'],
  async (c) => {
    const { oob, user } = c
    const otps = await Promise.all((['sms', 'voice', 'email'] as const).map(async (kind) => {
      const tx = await oob.start(kind)
      const otp = await user.otp(tx)
      // Every kind of answer the code can get: missing, wrong, right, reused.
      for (const bindingCode of [undefined, otp === '000000' ? '000001' : '000000', otp, otp]) {
        await oob.redeem(tx, { binding_code: bindingCode })
      }
      return otp
    }))
    // Delimited, so that the digits of a timestamp or the characters of a token do not count as the code.
    const patterns = otps.map((otp) => new RegExp(`(?<![A-Za-z0-9])${escape(otp)}(?![A-Za-z0-9])`))
    const read = expectNowhere(c, 'OOB-S-NO-OTP-DISCLOSURE', 'the OTP sent out of band', (text) => patterns.some((p) => p.test(text)))
    c.note(`${read} initiation and token responses (sms, voice, email): no OTP in any`)
  })
