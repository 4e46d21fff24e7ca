/**
 * `/primary-authenticate` and the deprecated `/oob-authenticate` (protocol.md §1.2): start a push, SMS,
 * voice or email challenge and answer with the `oob_code`.
 *
 * `scope` is ignored here rather than rejected: Okta's guides say the endpoint does not accept it, yet Okta's
 * own Kotlin SDK sends it, and RFC 6749 §3.2 makes ignoring the unexpected the interoperable choice.
 * @module
 */

import { randomInt } from 'node:crypto'
import { isChannel, OOB_CHALLENGE_HINT, type BindingMethod, type Channel } from '../protocol/index.js'
import { users, type Client } from './accounts.js'
import type { AuthorizationServer, ServerContext } from './context.js'
import { printable, required, type Endpoint, type Params } from './form.js'
import { invalidRequest, isOAuthError, jsonResponse, oauthError, type OAuthErrorSpec } from './responses.js'
import type { Transaction } from './transactions.js'

export const UNAUTHORIZED_CLIENT: OAuthErrorSpec = {
  status: 400,
  error: 'unauthorized_client',
  description: "The client isn't authorized to use the provided grant type.",
}

export interface InitiationBody {
  oob_code: string
  expires_in: number
  /** Only for push: prompt channels must not invite polling (protocol.md S14). */
  interval?: number
  channel: Channel
  binding_method: BindingMethod
  /** Only for `transfer`: the number the user must pick on the authenticator. */
  binding_code?: string
}

const EMAIL_OTP_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

function newOtp(channel: Channel): string {
  if (channel === 'email') return Array.from({ length: 8 }, () => EMAIL_OTP_ALPHABET[randomInt(36)]).join('')
  return String(randomInt(1_000_000)).padStart(6, '0')
}

export function initiate(
  context: ServerContext,
  server: AuthorizationServer,
  endpoint: Endpoint,
  client: Client,
  params: Params,
): Response {
  const { behaviour, options } = context
  if (!client.oobGrant) return oauthError(UNAUTHORIZED_CLIENT)
  // Required at /primary-authenticate; optional at /oob-authenticate, which old clients call without it (S8).
  const challengeHint = endpoint === 'primary-authenticate'
    ? required(params, 'challenge_hint', endpoint, behaviour)
    : params.get('challenge_hint')
  if (isOAuthError(challengeHint)) return oauthError(challengeHint)
  if (challengeHint !== undefined && challengeHint !== OOB_CHALLENGE_HINT) {
    return oauthError(invalidRequest(`'${printable(challengeHint)}' isn't supported as a challenge_hint.`))
  }
  const loginHint = required(params, 'login_hint', endpoint, behaviour)
  if (isOAuthError(loginHint)) return oauthError(loginHint)
  const channel = required(params, 'channel_hint', endpoint, behaviour)
  if (isOAuthError(channel)) return oauthError(channel)
  if (!isChannel(channel)) {
    return oauthError(invalidRequest(`'${printable(channel)}' isn't supported as a channel_hint.`))
  }
  const user = users.get(loginHint)
  const refusal = behaviour.refusesUser(user, channel, options.profile)
  if (refusal !== undefined) return oauthError(refusal)
  // An unknown user gets a decoy of the same shape (S11), so login_hint cannot be used to probe for accounts.
  const bindingMethod = user?.bindingMethod ?? (channel === 'push' ? 'none' : 'prompt')
  const now = options.now()
  const transaction: Transaction = {
    oobCode: behaviour.newOobCode(),
    clientId: client.id,
    server: server.id,
    loginHint,
    decoy: user === undefined,
    channel,
    bindingMethod,
    ...(bindingMethod === 'transfer' && { bindingCode: String(randomInt(10, 100)) }),
    ...(bindingMethod === 'prompt' && { otp: newOtp(channel) }),
    issuedAt: now,
    expiresAt: now + options.expiresIn * 1000,
    interval: options.interval,
    state: 'pending',
    failedAttempts: 0,
  }
  context.transactions.add(transaction)
  const body: InitiationBody = {
    oob_code: transaction.oobCode,
    expires_in: options.expiresIn,
    ...(bindingMethod !== 'prompt' && { interval: transaction.interval }),
    channel,
    binding_method: bindingMethod,
    ...(transaction.bindingCode !== undefined && { binding_code: transaction.bindingCode }),
  }
  return jsonResponse(200, behaviour.initiationBody(body, transaction))
}
