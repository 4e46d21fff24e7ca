/**
 * The consumer side of the OOB contract: what a client (`src/client`, the typed client the docs and
 * `client-check`'s sample use) sends in each situation, what it relies on in the answer, and what it
 * concludes. Each case runs against Pact's mock server (`run.ts`), which writes the pact; the provider suite
 * verifies that pact against any server. Statuses and error codes come from the catalogue's per-profile
 * expectations, so the pact of each profile fits every server that conforms to it.
 * @module
 */
import { join } from 'node:path'
import { MatchersV3, type V3Interaction, type V3Response } from '@pact-foundation/pact'
import type { ExpectStatic } from 'vitest'
import { OOB_GRANT_TYPE, type Channel, type OobFlowClient, type OobFlowClientOptions }
  from '../../../src/client/index.js'
import { standardAccounts } from '../../../src/config/accounts.js'
import { packageRoot } from '../../../src/package-root.js'
import { providerName } from '../../../src/pact/pact-profile.js'
import { pendingTransaction, STATES } from '../../../src/pact/states.js'
import type { Profile } from '../../../src/profile.js'
import { expectationFor } from '../../../src/engine/expect.js'

const { fromProviderState, integer, matchStatus, regex, string } = MatchersV3

export const CONSUMER = 'oob-flow-client'
export { providerName }
/** The committed pact of a profile (Pact's own naming: `{consumer}-{provider}.json`). */
export const committedPact = (profile: Profile) =>
  join(packageRoot, 'spec', 'pacts', `${CONSUMER}-${providerName(profile)}.json`)

/** A client on the mock server; the options let a case count requests or use another client_id. */
export type NewClient = (options?: Partial<Pick<OobFlowClientOptions, 'clientId' | 'fetch'>>) => OobFlowClient

export interface ConsumerCase {
  /** Its description is the provider suite's check title (and, as a slug, its id). */
  interaction: V3Interaction
  /** Catalogue ids the provider verification of this interaction is evidence for. */
  requirements: string[]
  /** Interactions the client goes through first: the start of the sign-in that a poll continues. */
  before?: V3Interaction[]
  /**
   * The client in this situation, against the mock server, and what it must conclude. The test hands in
   * vitest's `expect`: the provider checks, which ship in the package, load this module without vitest.
   */
  run(client: NewClient, expect: ExpectStatic): Promise<void>
}

const accounts = standardAccounts()
const { users } = accounts
const publicClient = accounts.clients.public.clientId

// Examples the mock server answers with; the provider may answer any value of the same type.
const OOB_CODE = 'Gk4Yp2sQfB0vZr9mWcE1xTnH3uJdLa7K'
const ACCESS_TOKEN = 'eyJraWQiOiJvb2IiLCJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJwdXNoQGV4YW1wbGUudGVzdCJ9.YQ'
const ID_TOKEN = 'eyJraWQiOiJvb2IiLCJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJwdXNoQGV4YW1wbGUudGVzdCJ9.aQ'
const OTP = '123456'
const WRONG_OTP = '123457'
const NUMBER = '71'
const UNKNOWN_CLIENT = 'oob-unknown-client'

const FORM_HEADERS = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }
/**
 * Any JSON media type the client reads as JSON: parameters allowed (`application/json; charset=utf-8` from
 * Express, `application/json;charset=UTF-8` in RFC 6749 §5.1's example), type and subtype in any case
 * (RFC 9110 §8.3.1), OWS before the `;` (§5.6.6). Pact matches a regex against the whole header value; `(?i)`
 * is the inline flag of the Rust (and Java) regex dialects Pact verifiers use.
 */
const JSON_MEDIA_TYPE = '(?i)^application/json[ \\t]*(;.*)?$'
const JSON_HEADERS = { 'Content-Type': regex(JSON_MEDIA_TYPE, 'application/json') }

/** An initiation, for which the standard accounts are all a server needs. */
function start(description: string, loginHint: string, channel: string, willRespondWith: V3Response,
  clientId = publicClient): V3Interaction {
  return {
    uponReceiving: description,
    states: [{ description: STATES.accounts }],
    withRequest: {
      method: 'POST',
      path: '/oauth2/v1/primary-authenticate',
      headers: FORM_HEADERS,
      body: {
        client_id: clientId, login_hint: loginHint, channel_hint: channel, challenge_hint: OOB_GRANT_TYPE,
      },
    },
    willRespondWith,
  }
}

/** A token request for the transaction the states start; `typed` names the code the user typed. */
function poll(description: string, states: string[], willRespondWith: V3Response,
  typed?: { expression: string; example: string }): V3Interaction {
  return {
    uponReceiving: description,
    states: states.map((s) => ({ description: s })),
    withRequest: {
      method: 'POST',
      path: '/oauth2/v1/token',
      headers: FORM_HEADERS,
      body: {
        client_id: publicClient,
        grant_type: OOB_GRANT_TYPE,
        // Each server issues its own oob_code: the provider state that started the transaction supplies it.
        oob_code: fromProviderState('${oob_code}', OOB_CODE),
        // The client asks for openid, so it may count on an id_token.
        scope: regex('^(.+ )?openid( .+)?$', 'openid profile'),
        ...(typed && { binding_code: fromProviderState(typed.expression, typed.example) }),
      },
    },
    willRespondWith,
  }
}

function started(channel: Channel, bindingMethod: 'none' | 'transfer' | 'prompt'): V3Response {
  return {
    status: 200,
    headers: JSON_HEADERS,
    body: {
      oob_code: string(OOB_CODE),
      expires_in: integer(300),
      // Polling needs an interval; a prompt transaction is never polled, so the client relies on none.
      ...(bindingMethod !== 'prompt' && { interval: integer(5) }),
      channel,
      binding_method: bindingMethod,
      ...(bindingMethod === 'transfer' && { binding_code: string(NUMBER) }),
    },
  }
}

const TOKENS: V3Response = {
  status: 200,
  headers: JSON_HEADERS,
  body: {
    // RFC 6749 §5.1: the value is case insensitive.
    token_type: regex('^[Bb][Ee][Aa][Rr][Ee][Rr]$', 'Bearer'),
    access_token: string(ACCESS_TOKEN),
    expires_in: integer(3600),
    id_token: string(ID_TOKEN),
  },
}

interface ExpectedError {
  response: V3Response
  /** What the mock answers, and so what the client reports. */
  error: string
  status: number
}

/** The error answer `requirementId` expects under `profile`: every status and error code it accepts. */
function errorFor(requirementId: string, profile: Profile): ExpectedError {
  const { status = [], error = [] } = expectationFor(requirementId, profile)
  const [firstStatus, firstError] = [status[0], error[0]]
  if (firstStatus === undefined || firstError === undefined) {
    throw new Error(`${requirementId} names no error status and code under the ${profile} profile`)
  }
  return {
    response: {
      status: status.length > 1 ? matchStatus(firstStatus, status) : firstStatus,
      headers: JSON_HEADERS,
      body: { error: error.length > 1 ? regex(`^(${error.join('|')})$`, firstError) : firstError },
    },
    error: firstError,
    status: firstStatus,
  }
}

interface PollCounter {
  fetch: typeof fetch
  polls(): number
  signal: AbortSignal
}

/** A fetch that counts the token requests, and aborts the sign-in after the `abortAfter`-th. */
function countingPolls(abortAfter?: number): PollCounter {
  const controller = new AbortController()
  let polls = 0
  return {
    async fetch(input, init) {
      const res = await fetch(input, init)
      if (String(input).endsWith('/token') && ++polls === abortAfter) controller.abort()
      return res
    },
    polls: () => polls,
    signal: controller.signal,
  }
}

const rejection = ({ error, status }: ExpectedError) => ({ code: 'ERR_OAUTH_ERROR', error, status })

export function consumerCases(profile: Profile): ConsumerCase[] {
  const pushStart = start('push start', users.push, 'push', started('push', 'none'))
  const smsStart = start('sms start', users.sms, 'sms', started('sms', 'prompt'))
  const pendingPush = pendingTransaction('push', users.push)
  const pendingSms = pendingTransaction('sms', users.sms)
  const pending = errorFor('OOB-S-POLL-PENDING', profile)
  const denied = errorFor('OOB-S-DENIAL-ERROR', profile)
  const expired = errorFor('OOB-S-OOB-CODE-EXPIRES', profile)
  const wrongCode = errorFor('OOB-S-PROMPT-WRONG-CODE', profile)
  const unknownClient = errorFor('OOB-S-UNKNOWN-CLIENT', profile)
  const badChannel = errorFor('OOB-S-INIT-BAD-CHANNEL-HINT', profile)
  const noLoginHint = errorFor('OOB-S-INIT-MISSING-LOGIN-HINT', profile)
  const push = { loginHint: users.push, channel: 'push' } as const
  const sms = { loginHint: users.sms, channel: 'sms' } as const

  return [
    {
      interaction: pushStart,
      requirements: ['OOB-S-INIT-RESPONSE-FIELDS', 'OOB-S-INIT-PUSH-INTERVAL', 'OOB-S-PUSH-BINDING-METHOD'],
      async run(client, expect) {
        const tx = await client().start(push)
        expect(tx).toMatchObject({ oobCode: OOB_CODE, expiresIn: 300, bindingMethod: 'none' })
        expect(tx.pollInterval).toBe(5)
      },
    },
    {
      interaction: poll('push poll while pending', [pendingPush], pending.response),
      requirements: ['OOB-S-POLL-PENDING'],
      before: [pushStart],
      async run(client, expect) {
        // The user never answers here: the client keeps polling until the person gives up.
        const counter = countingPolls(2)
        await expect(client({ fetch: counter.fetch }).signIn({ ...push, signal: counter.signal }))
          .rejects.toMatchObject({ code: 'ERR_ABORTED' })
        expect(counter.polls()).toBe(2)
      },
    },
    {
      interaction: poll('push poll after approval', [pendingPush, STATES.approved], TOKENS),
      requirements: ['OOB-S-TOKENS-AFTER-APPROVAL', 'OOB-S-TOKEN-RESPONSE', 'OOB-S-ID-TOKEN-FOR-OPENID'],
      before: [pushStart],
      async run(client, expect) {
        const tokens = await client().signIn(push)
        expect(tokens).toMatchObject({ tokenType: 'Bearer', accessToken: ACCESS_TOKEN, idToken: ID_TOKEN })
      },
    },
    {
      interaction: poll('push poll after denial', [pendingPush, STATES.denied], denied.response),
      requirements: ['OOB-S-DENIAL-ERROR'],
      before: [pushStart],
      async run(client, expect) {
        const counter = countingPolls()
        await expect(client({ fetch: counter.fetch }).signIn(push)).rejects.toMatchObject(rejection(denied))
        expect(counter.polls()).toBe(1)
      },
    },
    {
      interaction: poll('push poll after expiry', [pendingPush, STATES.expired], expired.response),
      requirements: ['OOB-S-OOB-CODE-EXPIRES'],
      before: [pushStart],
      async run(client, expect) {
        await expect(client().signIn(push)).rejects.toMatchObject(rejection(expired))
      },
    },
    {
      interaction: smsStart,
      requirements: ['OOB-S-INIT-RESPONSE-FIELDS', 'OOB-S-PROMPT-BINDING-METHOD'],
      async run(client, expect) {
        const tx = await client().start(sms)
        expect(tx).toMatchObject({ oobCode: OOB_CODE, bindingMethod: 'prompt' })
        expect(tx.interval).toBeUndefined()
      },
    },
    {
      interaction: start('voice start', users.voice, 'voice', started('voice', 'prompt')),
      requirements: ['OOB-S-INIT-RESPONSE-FIELDS', 'OOB-S-PROMPT-BINDING-METHOD'],
      async run(client, expect) {
        const tx = await client().start({ loginHint: users.voice, channel: 'voice' })
        expect(tx).toMatchObject({ oobCode: OOB_CODE, channel: 'voice', bindingMethod: 'prompt' })
      },
    },
    {
      interaction: poll('sms code accepted', [pendingSms, STATES.codeKnown], TOKENS,
        { expression: '${otp}', example: OTP }),
      requirements: ['OOB-S-PROMPT-CORRECT-CODE', 'OOB-S-TOKEN-RESPONSE'],
      before: [smsStart],
      async run(client, expect) {
        const tokens = await client().signIn({ ...sms, readBindingCode: async () => OTP })
        expect(tokens.accessToken).toBe(ACCESS_TOKEN)
      },
    },
    {
      interaction: poll('sms wrong code', [pendingSms, STATES.codeKnown], wrongCode.response,
        { expression: '${wrong_otp}', example: WRONG_OTP }),
      requirements: ['OOB-S-PROMPT-WRONG-CODE'],
      before: [smsStart],
      async run(client, expect) {
        await expect(client().signIn({ ...sms, readBindingCode: async () => WRONG_OTP }))
          .rejects.toMatchObject(rejection(wrongCode))
      },
    },
    {
      interaction: start('number challenge start', users.number, 'push', started('push', 'transfer')),
      requirements: ['OOB-S-INIT-RESPONSE-FIELDS', 'OOB-S-BINDING-CODE-IFF-TRANSFER'],
      async run(client, expect) {
        const tx = await client().start({ loginHint: users.number, channel: 'push' })
        expect(tx).toMatchObject({ bindingMethod: 'transfer', bindingCode: NUMBER })
      },
    },
    {
      interaction: start('start by an unknown client', users.push, 'push', unknownClient.response,
        UNKNOWN_CLIENT),
      requirements: ['OOB-S-UNKNOWN-CLIENT'],
      async run(client, expect) {
        await expect(client({ clientId: UNKNOWN_CLIENT }).start(push))
          .rejects.toMatchObject(rejection(unknownClient))
      },
    },
    {
      interaction: start('start with an unsupported channel_hint', users.push, 'whatsapp',
        badChannel.response),
      requirements: ['OOB-S-INIT-BAD-CHANNEL-HINT'],
      async run(client, expect) {
        // A client built for a channel this server does not offer.
        await expect(client().start({ loginHint: users.push, channel: 'whatsapp' as Channel }))
          .rejects.toMatchObject(rejection(badChannel))
      },
    },
    {
      interaction: start('start with an empty login_hint', '', 'push', noLoginHint.response),
      requirements: ['OOB-S-INIT-MISSING-LOGIN-HINT', 'OOB-S-EMPTY-PARAM-AS-OMITTED'],
      async run(client, expect) {
        // The person submitted the sign-in form with the identifier left blank.
        await expect(client().start({ loginHint: '', channel: 'push' }))
          .rejects.toMatchObject(rejection(noLoginHint))
      },
    },
  ]
}

/** The catalogue ids of the interaction described `description`, the same under every profile. */
export function requirementsOf(description: string): string[] {
  return consumerCases('okta').find((c) => c.interaction.uponReceiving === description)?.requirements ?? []
}
