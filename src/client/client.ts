/**
 * A typed client of the OOB flow: start a challenge, then poll (push) or redeem the code the user typed (SMS,
 * voice, email), following every client rule of the catalogue (`OOB-C-…`).
 * @module
 */
import { setTimeout as delay } from 'node:timers/promises'
import { isOobConformanceError } from '../errors.js'
import { endpointsFromIssuer } from '../config/issuer.js'
import {
  errorOf, FORM_MEDIA_TYPE, formBody, OOB_CHALLENGE_HINT, OOB_GRANT_TYPE, type AuthMethod, type Channel,
} from '../protocol/index.js'
import { defaultClientBehaviour, type ClientBehaviour, type ClientCredentials } from './behaviour.js'
import { OobClientError } from './error.js'
import { parseInitiation, parseJson, parseTokens, type OobTransaction, type TokenSet } from './wire.js'

export interface OobFlowClientOptions {
  /**
   * The authorization server's issuer: an Okta org (`https://org.example.com`, endpoints under `/oauth2/v1/`)
   * or a custom authorization server (`https://org.example.com/oauth2/default`, endpoints under
   * `{issuer}/v1/`).
   */
  issuer: string
  clientId: string
  /** A confidential client's secret; public clients have none. */
  clientSecret?: string
  /** Default: `client_secret_basic` when there is a secret, else `none`. */
  authMethod?: AuthMethod
  /** Requested at the token endpoint; default `openid profile`. */
  scope?: string
  /** Default `primary-authenticate`; `oob-authenticate` is Okta's deprecated alias (sent without
   * challenge_hint). */
  initiation?: 'primary-authenticate' | 'oob-authenticate'
  /** Bound on each HTTP exchange; default 60 s (CIBA asks clients to wait at least 30 s for a poll answer).
   * */
  requestTimeoutMs?: number
  /** Injectable for tests and other runtimes. */
  fetch?: typeof globalThis.fetch
  /** Waits `ms`, rejecting when `signal` aborts. Injectable with `now` for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /** A monotonic clock in milliseconds; default `performance.now()`. */
  now?: () => number
  /** Replaces some of the client's decisions; fault injection only (fixtures/clients). */
  behaviour?: Partial<ClientBehaviour>
}

export interface StartOptions {
  /** The user's sign-in identifier. */
  loginHint: string
  channel: Channel
  signal?: AbortSignal
}

export interface CompleteOptions {
  /** `transfer` (number challenge): show this number; the user picks it on the other device. */
  onBindingCode?: (bindingCode: string) => void
  /** `prompt` (SMS, voice, email): resolves with the code exactly as the user typed it. */
  readBindingCode?: () => Promise<string>
  signal?: AbortSignal
}

export type SignInOptions = StartOptions & CompleteOptions

interface Answer {
  status: number
  headers: Headers
  body: unknown
}

/**
 * One client registration talking to one authorization server. Requests are form-encoded POSTs with
 * `Accept: application/json` and exactly one client-authentication method; polls never overlap, wait
 * `interval` (5 s when absent) from the previous send, add 5 s for each `slow_down`, back off on 429 (as long
 * as `Retry-After` / `X-Rate-Limit-Reset` say), 5xx and connection failures, stop on any other error and at
 * `expires_in`. Failures throw {@link OobClientError}.
 *
 * @example
 * ```ts
 * const client = new OobFlowClient({ issuer: 'https://org.example.com', clientId: '0oa1example' })
 * const tokens = await client.signIn({
 *   loginHint: 'alice@example.com',
 *   channel: 'push',
 *   onBindingCode: (code) => console.log(`Tap ${code} in Okta Verify`),
 *   readBindingCode: () => askUser('Code you received: '),   // sms, voice, email
 * })
 * ```
 */
export class OobFlowClient {
  readonly endpoints: { initiation: string; token: string }
  private readonly credentials: ClientCredentials
  private readonly scope: string
  private readonly sendsChallengeHint: boolean
  private readonly requestTimeoutMs: number
  private readonly fetch: typeof globalThis.fetch
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  private readonly now: () => number
  private readonly behaviour: ClientBehaviour

  constructor(options: OobFlowClientOptions) {
    const initiation = options.initiation ?? 'primary-authenticate'
    this.endpoints = endpointsOf(options.issuer, initiation)
    const authMethod = options.authMethod ??
      (options.clientSecret === undefined ? 'none' : 'client_secret_basic')
    if (authMethod !== 'none' && options.clientSecret === undefined) {
      throw new OobClientError('ERR_USAGE', `authMethod ${authMethod} needs a clientSecret`)
    }
    this.credentials = { clientId: options.clientId, authMethod }
    if (authMethod !== 'none') this.credentials.clientSecret = options.clientSecret
    this.scope = options.scope ?? 'openid profile'
    this.sendsChallengeHint = initiation === 'primary-authenticate'
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000
    this.fetch = options.fetch ?? globalThis.fetch
    this.sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }))
    this.now = options.now ?? (() => performance.now())
    this.behaviour = { ...defaultClientBehaviour, ...options.behaviour }
  }

  /** Starts the challenge and completes it: `start` then `complete`. */
  async signIn(options: SignInOptions): Promise<TokenSet> {
    return this.complete(await this.start(options), options)
  }

  /** Sends the initiation request; the user's device gets the push, SMS, call or email. */
  async start({ loginHint, channel, signal }: StartOptions): Promise<OobTransaction> {
    const sentAt = this.now()
    const answer = await this.send(this.endpoints.initiation, {
      login_hint: loginHint,
      channel_hint: channel,
      challenge_hint: this.sendsChallengeHint ? OOB_CHALLENGE_HINT : undefined,
    }, signal)
    const receivedAt = this.now()
    if (answer.status !== 200) throw failure(answer)
    const tx = parseInitiation(answer.body, { sentAt, receivedAt })
    return { ...tx, pollInterval: this.behaviour.pollInterval(tx.interval) }
  }

  /**
   * Redeems a started transaction: polls until the user acts (`none`, `transfer`, after showing the number),
   * or sends the typed code once (`prompt`; never polls). Use each transaction once.
   */
  async complete(tx: OobTransaction, { onBindingCode, readBindingCode, signal }: CompleteOptions = {}):
    Promise<TokenSet> {
    if (!this.behaviour.polls(tx.bindingMethod)) {
      if (readBindingCode === undefined) {
        throw new OobClientError('ERR_USAGE',
          'binding_method prompt: pass readBindingCode to ask the user for the code')
      }
      const typed = await readBindingCode()
      if (this.now() >= expiresAt(tx)) throw expired(tx)
      const params = this.tokenParams(tx, this.behaviour.bindingCode(typed))
      const answer = await this.send(this.endpoints.token, params, signal)
      if (answer.status !== 200) throw failure(answer)
      return parseTokens(answer.body, this.behaviour.understandsTokenType)
    }
    if (tx.bindingCode !== undefined) {
      if (onBindingCode === undefined) {
        throw new OobClientError('ERR_USAGE',
          'binding_method transfer: pass onBindingCode to show the user the number')
      }
      onBindingCode(tx.bindingCode)
    }
    return this.poll(tx, signal)
  }

  private async poll(tx: OobTransaction, signal: AbortSignal | undefined): Promise<TokenSet> {
    const deadline = expiresAt(tx)
    let interval = tx.pollInterval
    let failures = 0
    let nextAt = tx.sentAt + this.behaviour.pollDelay(interval) * 1000
    for (;;) {
      // A poll due at or after expiry could only be refused: stop now (C13); and again if the wait overran.
      if (nextAt >= deadline) throw expired(tx)
      await this.waitUntil(nextAt, signal)
      if (this.now() >= deadline) throw expired(tx)
      const sentAt = this.now()
      let answer: Answer
      try {
        answer = await this.send(this.endpoints.token, this.tokenParams(tx), signal)
      } catch (e) {
        const transient = isOobConformanceError(e, 'ERR_TARGET_UNREACHABLE') ||
          isOobConformanceError(e, 'ERR_HTTP_TIMEOUT')
        if (!transient) throw e
        nextAt = sentAt + this.backoffMs(interval, ++failures)
        continue
      }
      if (answer.status === 200) return parseTokens(answer.body, this.behaviour.understandsTokenType)
      // Okta answers a rate limit with 429 and the body `invalid_grant` (protocol §2 E8): deciding on the
      // error code there would end a flow that only has to wait.
      if (answer.status === 429 || answer.status >= 500) {
        nextAt = sentAt + this.backoffMs(interval, ++failures)
        const asked = answer.status === 429
          ? this.behaviour.rateLimitDelay(answer.headers, Date.now())
          : undefined
        if (asked !== undefined) nextAt = Math.max(nextAt, this.now() + asked)
        continue
      }
      const error = errorOf(answer.body)
      const kind = error === undefined
        ? 'terminal'
        : this.behaviour.classifyPollError(error.error, answer.status)
      if (kind === 'terminal') throw failure(answer)
      failures = 0
      if (kind === 'slow_down') interval = this.behaviour.slowDown(interval)
      nextAt = sentAt + this.behaviour.pollDelay(interval) * 1000
    }
  }

  private backoffMs(interval: number, failures: number): number {
    return this.behaviour.failureBackoff(interval, failures) * 1000
  }

  private tokenParams(tx: OobTransaction, bindingCode?: string): Record<string, string | undefined> {
    return { grant_type: OOB_GRANT_TYPE, oob_code: tx.oobCode, scope: this.scope, binding_code: bindingCode }
  }

  private async waitUntil(at: number, signal: AbortSignal | undefined): Promise<void> {
    for (let ms = at - this.now(); ms > 0; ms = at - this.now()) {
      if (signal?.aborted) throw aborted(signal.reason)
      try {
        await this.sleep(ms, signal)
      } catch (e) {
        if (signal?.aborted) throw aborted(e)
        throw e
      }
    }
  }

  private async send(url: string, params: Record<string, string | undefined>,
    signal: AbortSignal | undefined): Promise<Answer> {
    if (signal?.aborted) throw aborted(signal.reason)
    const { headers, params: credentials } = this.behaviour.authenticate(this.credentials)
    const timeout = AbortSignal.timeout(this.requestTimeoutMs)
    try {
      const res = await this.fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': FORM_MEDIA_TYPE,
          Accept: 'application/json',
          ...headers,
        },
        body: formBody({ ...credentials, ...params }),
        redirect: 'manual',
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      })
      return { status: res.status, headers: res.headers, body: parseJson(await res.text()) }
    } catch (e) {
      if (signal?.aborted) throw aborted(e)
      if (timeout.aborted) {
        throw new OobClientError('ERR_HTTP_TIMEOUT',
          `POST ${url}: no complete response within ${this.requestTimeoutMs / 1000} s`, { cause: e })
      }
      const cause = (e as { cause?: { code?: string; message?: string } }).cause
      throw new OobClientError('ERR_TARGET_UNREACHABLE',
        `POST ${url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`, { cause: e })
    }
  }
}

function endpointsOf(issuer: string, initiation: 'primary-authenticate' | 'oob-authenticate'): { initiation: string; token: string } {
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    throw new OobClientError('ERR_USAGE', `issuer "${issuer}" is not a URL`)
  }
  const endpoints = endpointsFromIssuer(url)
  return {
    initiation: initiation === 'oob-authenticate' ? endpoints.oobAuthenticate : endpoints.primaryAuthenticate,
    token: endpoints.token,
  }
}

function expiresAt(tx: OobTransaction): number {
  return tx.receivedAt + tx.expiresIn * 1000
}

function expired(tx: OobTransaction): OobClientError {
  return new OobClientError('ERR_OOB_EXPIRED',
    `the oob_code expired (expires_in ${tx.expiresIn} s) before the sign-in completed`)
}

function aborted(cause: unknown): OobClientError {
  return new OobClientError('ERR_ABORTED', 'the sign-in was aborted', { cause })
}

function failure(answer: Answer): OobClientError {
  const error = errorOf(answer.body)
  if (error === undefined) {
    return new OobClientError('ERR_INVALID_RESPONSE', `HTTP ${answer.status} without an OAuth error`,
      { status: answer.status })
  }
  const details = error.errorDescription === undefined ? '' : `: ${error.errorDescription}`
  return new OobClientError('ERR_OAUTH_ERROR', `HTTP ${answer.status} ${error.error}${details}`, {
    ...error, status: answer.status,
  })
}
