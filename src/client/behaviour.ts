/**
 * The client's decisions as small named functions, like the reference server's `Behaviour`: the flow calls
 * only these for every choice a client can get wrong, so a faulty sample client (fixtures/clients) is the
 * correct client with one function replaced.
 * @module
 */
import { retryDelayMs } from '../http/client.js'
import { basicAuthorization, type AuthMethod, type BindingMethod } from '../protocol/index.js'

export interface ClientCredentials {
  clientId: string
  clientSecret?: string
  authMethod: AuthMethod
}

/** What one request carries to authenticate the client. */
export interface Credentials {
  headers: Record<string, string>
  params: Record<string, string>
}

/** What an error answer to a poll means for the polling loop. */
export type PollErrorKind = 'pending' | 'slow_down' | 'terminal'

export interface ClientBehaviour {
  /** Seconds between polls before any `slow_down`, from the initiation response's `interval` (maybe absent).
   * */
  pollInterval(interval: number | undefined): number
  /** Seconds from sending one poll to sending the next, given the interval in force. */
  pollDelay(interval: number): number
  /** What the OAuth `error` (or Okta `errorCode`) of an answer to a poll, with its HTTP `status`, means. */
  classifyPollError(error: string, status: number): PollErrorKind
  /** The interval in force after a `slow_down` answer. */
  slowDown(interval: number): number
  /** Whether a transaction is completed by polling; otherwise by one request carrying the code the user
   * typed. */
  polls(bindingMethod: BindingMethod): boolean
  /** The `binding_code` sent for what the user typed. */
  bindingCode(typed: string): string
  /** The credentials one request carries: headers and body parameters (`client_id` included). */
  authenticate(credentials: ClientCredentials): Credentials
  /** Milliseconds a 429 answer asks the client to wait, from its headers; `undefined` if it names no time. */
  rateLimitDelay(headers: Headers, nowMs: number): number | undefined
  /** Seconds to wait before retrying after the `failures`-th 5xx, 429 or connection failure in a row. */
  failureBackoff(interval: number, failures: number): number
  /** Whether the client can use an access token of this `token_type`. */
  understandsTokenType(tokenType: string): boolean
}

/** The longest pause between two polls while failures repeat, in seconds. */
const MAX_BACKOFF_SECONDS = 60

export const defaultClientBehaviour: ClientBehaviour = {
  // RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default." (so do Okta and CIBA)
  pollInterval: (interval) => interval ?? 5,
  pollDelay: (interval) => interval,
  classifyPollError(error) {
    if (error === 'authorization_pending') return 'pending'
    if (error === 'slow_down') return 'slow_down'
    // RFC 8628 §3.5: "If the client receives an error response with any other error code, it MUST stop
    // polling"
    return 'terminal'
  },
  // RFC 8628 §3.5: "the interval MUST be increased by 5 seconds for this and all subsequent requests".
  slowDown: (interval) => interval + 5,
  polls: (bindingMethod) => bindingMethod !== 'prompt',
  bindingCode: (typed) => typed,
  authenticate({ clientId, clientSecret, authMethod }): Credentials {
    const params = { client_id: clientId }
    if (authMethod === 'none' || clientSecret === undefined) return { headers: {}, params }
    if (authMethod === 'client_secret_post') {
      return { headers: {}, params: { ...params, client_secret: clientSecret } }
    }
    return { headers: { Authorization: basicAuthorization(clientId, clientSecret) }, params }
  },
  rateLimitDelay(headers, nowMs) {
    const named = ['retry-after', 'x-rate-limit-reset'].filter((name) => headers.has(name))
    if (named.length === 0) return undefined
    return retryDelayMs(Object.fromEntries(named.map((name) => [name, headers.get(name)!])), nowMs, Infinity)
  },
  // RFC 8628 §3.5: after a connection timeout "clients MUST unilaterally reduce their polling frequency before
  // retrying"; doubling on each one is the RECOMMENDED way.
  failureBackoff: (interval, failures) =>
    Math.min(interval * 2 ** failures, Math.max(interval, MAX_BACKOFF_SECONDS)),
  // RFC 6749 §7.1: a client "MUST NOT use an access token if it does not understand the token type"; §5.1:
  // the value is case insensitive.
  understandsTokenType: (tokenType) => tokenType.toLowerCase() === 'bearer',
}
