/**
 * `/token` with `grant_type=urn:okta:params:oauth:grant-type:oob` (protocol.md §1.4, §3).
 *
 * Checks run in node-oidc-provider's order: client (done by the caller) → grant_type → oob_code lookup →
 * client binding → expired → consumed → denied/locked → approved/pending; `scope` is checked just before the
 * lookup, so a malformed request never counts as a poll. From the lookup to the state change nothing is
 * awaited, so concurrent polls of one approved code cannot both see it approved.
 *
 * A token request for a prompt channel without `binding_code` is answered `invalid_grant` (the client was
 * told not to poll, so `authorization_pending` would be wrong) and does not count as an attempt: it guesses
 * nothing.
 * @module
 */

import { OOB_GRANT_TYPE } from '../protocol/index.js'
import type { Client } from './accounts.js'
import { orgIssuer, type AuthorizationServer, type ServerContext } from './context.js'
import { printable, required, type Params } from './form.js'
import { UNAUTHORIZED_CLIENT } from './initiate.js'
import { isOAuthError, jsonResponse, oauthError, type OAuthErrorSpec } from './responses.js'
import { issueTokens } from './tokens.js'

export const SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'offline_access', 'email'])

const WRONG_OTP: OAuthErrorSpec = {
  status: 400,
  error: 'invalid_grant',
  description: "The 'otp' provided is either empty or incorrect.",
}

/** Space-delimited (RFC 6749 §3.3): an empty token (doubled or edge space) is malformed, hence refused. */
function grantedScopes(scope: string | undefined, context: ServerContext): string[] | OAuthErrorSpec {
  if (scope === undefined) {
    return context.options.profile === 'rfc'
      ? ['openid']
      : { status: 400, error: 'invalid_scope', description: 'No scopes were requested.' }
  }
  const scopes = new Set(scope.split(' '))
  for (const s of scopes) {
    if (!SCOPES.has(s)) {
      const description = `The scope '${printable(s)}' isn't allowed.`
      return { status: 400, error: 'invalid_scope', description }
    }
  }
  return [...scopes]
}

export async function redeemOobCode(
  context: ServerContext,
  server: AuthorizationServer,
  client: Client,
  params: Params,
  requestUrl: string,
): Promise<Response> {
  const { behaviour, options } = context
  const grantType = required(params, 'grant_type', 'token', behaviour)
  if (isOAuthError(grantType)) return oauthError(grantType)
  if (grantType !== OOB_GRANT_TYPE) {
    return oauthError({
      status: 400, error: 'unsupported_grant_type', description: "The grant type isn't supported.",
    })
  }
  if (!client.oobGrant) return oauthError(UNAUTHORIZED_CLIENT)
  const oobCode = required(params, 'oob_code', 'token', behaviour)
  if (isOAuthError(oobCode)) return oauthError(oobCode)
  const scopes = grantedScopes(params.get('scope'), context)
  if (isOAuthError(scopes)) return oauthError(scopes)

  const transaction = context.transactions.get(oobCode)
  if (transaction === undefined || transaction.server !== server.id) {
    return oauthError({ status: 400, error: 'invalid_grant', description: 'The oob_code is invalid.' })
  }
  if (!behaviour.boundToClient(transaction, client.id)) {
    return oauthError({
      status: 400, error: 'invalid_grant', description: 'The oob_code was issued to another client.',
    })
  }
  const now = options.now()
  if (behaviour.isExpired(transaction, now)) {
    return oauthError(behaviour.terminalError('expired', options.profile))
  }
  const { state } = transaction
  if (state === 'consumed' || state === 'denied' || state === 'locked') {
    return oauthError(behaviour.terminalError(state, options.profile))
  }

  if (transaction.bindingMethod === 'prompt') {
    const bindingCode = params.get('binding_code')
    if (bindingCode === undefined) return oauthError(WRONG_OTP)
    if (transaction.otp === undefined || !behaviour.otpMatches(transaction.otp, bindingCode)) {
      transaction.failedAttempts++
      if (transaction.failedAttempts >= options.otpMaxAttempts) transaction.state = 'locked'
      return oauthError(WRONG_OTP)
    }
  } else if (state === 'pending') {
    if (behaviour.pollTooSoon(transaction, now)) {
      transaction.interval = behaviour.nextInterval(transaction.interval)
      transaction.lastPollAt = now
      return oauthError({
        status: 400,
        error: 'slow_down',
        description: `Polling too fast: wait at least ${transaction.interval} seconds between requests.`,
      })
    }
    transaction.lastPollAt = now
    return oauthError({
      status: 400,
      error: 'authorization_pending',
      description: 'No user response received on the out-of-band authenticator yet. Continue polling.',
    })
  }

  const issuer = orgIssuer(context, requestUrl) + server.issuerPath
  const tokens = await behaviour.redeem(transaction, () => issueTokens(server.key, {
    issuer,
    audience: server.audience ?? issuer,
    clientId: client.id,
    subject: transaction.loginHint,
    scopes,
    channel: transaction.channel,
    now,
  }))
  return jsonResponse(200, tokens)
}
