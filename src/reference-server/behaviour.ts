/**
 * The server's decisions as small named functions. The handlers call only these for every choice a faulty
 * server could get wrong, so a mutant (fixtures/mutants) is `createReferenceServer({ behaviour: { … } })`
 * with one function replaced. README.md maps each planned mutant to its function.
 * @module
 */

import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Profile } from '../profile.js'
import { FORM_MEDIA_TYPE, parseUrlEncoded, type Channel } from '../protocol/index.js'
import { sha256, type Client, type User } from './accounts.js'
import type { PresentedCredentials, PresentedMethod } from './client-auth.js'
import type { Endpoint } from './form.js'
import type { InitiationBody } from './initiate.js'
import { invalidRequest, type OAuthErrorSpec } from './responses.js'
import type { TokenBody } from './tokens.js'
import type { Transaction } from './transactions.js'

/** The ways a transaction can be over, each with its own error per profile (protocol.md §3, §5.2). */
export type TerminalKind = 'expired' | 'consumed' | 'denied' | 'locked'

export interface Behaviour {
  /** Whether an OAuth endpoint processes a request of this method (RFC 6749 §3.2: POST only; else 405). */
  allowsMethod(method: string): boolean
  /** Body → name/value pairs, or `undefined` for a body the endpoint refuses (400 `invalid_request`). */
  parseBody(mediaType: string, body: string): Array<[string, string]> | undefined
  /** Whether a repeated parameter is refused (RFC 6749 §3.2); when not, the last value wins. */
  rejectDuplicate(name: string): boolean
  /** What to do with a parameter the endpoint does not read (RFC 6749 §3.2: ignore it). */
  unknownParameter(name: string, endpoint: Endpoint): 'ignore' | 'reject'
  /** The error for a missing required parameter — or, for a lenient server, a value to assume instead. */
  missingParameter(name: string, endpoint: Endpoint): OAuthErrorSpec | string
  /** Whether these authentication methods, all present in one request, are refused (RFC 6749 §2.3). */
  rejectsAuthMethods(methods: readonly PresentedMethod[]): boolean
  /** Whether the presented credentials authenticate the client. */
  authenticates(client: Client, presented: PresentedCredentials): boolean
  /**
   * The initiation error for a user who may not be challenged on `channel`, or `undefined` to start the
   * transaction. `user` is `undefined` for a `login_hint` that names nobody: by default such a user gets a decoy
   * transaction (S11), and a known user not enrolled in the channel gets `access_denied`.
   */
  refusesUser(user: User | undefined, channel: Channel, profile: Profile): OAuthErrorSpec | undefined
  /** A fresh `oob_code`. */
  newOobCode(): string
  /** The initiation response body, last chance to change it. */
  initiationBody(body: InitiationBody, transaction: Transaction): InitiationBody
  isExpired(transaction: Transaction, now: number): boolean
  /** Whether this client may redeem the code (RFC 6749 §5.2, CIBA §10.1). */
  boundToClient(transaction: Transaction, clientId: string): boolean
  terminalError(kind: TerminalKind, profile: Profile): OAuthErrorSpec
  /** Whether a poll of a pending push arrived sooner than the current interval after the previous one. */
  pollTooSoon(transaction: Transaction, now: number): boolean
  /** The interval (seconds) after a `slow_down`. */
  nextInterval(interval: number): number
  otpMatches(expected: string, presented: string): boolean
  /**
   * Turns an approved transaction into tokens. The default marks it consumed before the first `await`,
   * which is what makes concurrent polls yield exactly one token response.
   */
  redeem(transaction: Transaction, issue: () => Promise<TokenBody>): Promise<TokenBody>
  /** Every response of the OAuth endpoints passes through here on its way out. */
  finalizeResponse(response: Response): Response
}

const EXPIRED = 'The oob_code has expired. Start a new sign-in.'
const CONSUMED = 'The oob_code was already used.'
const LOCKED = 'Too many incorrect codes. Start a new sign-in.'

const TERMINAL_ERRORS: Readonly<Record<Profile, Readonly<Record<TerminalKind, OAuthErrorSpec>>>> = {
  okta: {
    expired: { status: 403, error: 'access_denied', description: EXPIRED },
    consumed: { status: 403, error: 'access_denied', description: CONSUMED },
    denied: { status: 400, error: 'invalid_grant', description: 'The user rejected the request.' },
    locked: { status: 400, error: 'invalid_grant', description: LOCKED },
  },
  rfc: {
    expired: { status: 400, error: 'expired_token', description: EXPIRED },
    consumed: { status: 400, error: 'invalid_grant', description: CONSUMED },
    denied: { status: 400, error: 'access_denied', description: 'The user denied the request.' },
    locked: { status: 400, error: 'invalid_grant', description: LOCKED },
  },
}

export const defaultBehaviour: Behaviour = {
  allowsMethod: (method) => method === 'POST',
  parseBody: (mediaType, body) => mediaType === FORM_MEDIA_TYPE ? parseUrlEncoded(body) : undefined,
  rejectDuplicate: () => true,
  unknownParameter: () => 'ignore',
  missingParameter: (name) => invalidRequest(`The '${name}' parameter is required.`),
  rejectsAuthMethods: (methods) => methods.length > 1,
  authenticates(client, presented) {
    if (!(client.authMethods as readonly string[]).includes(presented.method)) return false
    if (presented.method === 'none') return true
    return client.secretDigest !== undefined && presented.secret !== undefined &&
      timingSafeEqual(client.secretDigest, sha256(presented.secret))
  },
  refusesUser: (user, channel, profile) => user !== undefined && user.channel !== channel
    // Okta answers 403; RFC 6749 §5.2 errors are 400 unless specified otherwise.
    ? {
      status: profile === 'okta' ? 403 : 400,
      error: 'access_denied',
      description: "The required authenticator can't be used: the user is not enrolled in it.",
    }
    : undefined,
  // 160 bits (RFC 6749 §10.10 SHOULD); base64url stays within CIBA's auth_req_id charset.
  newOobCode: () => randomBytes(20).toString('base64url'),
  initiationBody: (body) => body,
  isExpired: (transaction, now) => now >= transaction.expiresAt,
  boundToClient: (transaction, clientId) => transaction.clientId === clientId,
  terminalError: (kind, profile) => TERMINAL_ERRORS[profile][kind],
  // The first poll has no previous request to be measured from (protocol.md S20).
  pollTooSoon: (transaction, now) =>
    transaction.lastPollAt !== undefined && now - transaction.lastPollAt < transaction.interval * 1000,
  // RFC 8628 §3.5: "the interval MUST be increased by 5 seconds for this and all subsequent requests".
  nextInterval: (interval) => interval + 5,
  otpMatches: (expected, presented) => timingSafeEqual(sha256(expected), sha256(presented)),
  redeem(transaction, issue) {
    transaction.state = 'consumed'
    return issue()
  },
  finalizeResponse: (response) => response,
}
