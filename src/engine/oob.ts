/**
 * The protocol, as checks speak it: start a transaction, redeem or poll its `oob_code`, with any client and
 * client-authentication method. Every request goes through the check's recording HTTP client.
 * @module
 */
import type { HttpClient, HttpResponse } from '../http/client.js'
import { basicAuthorization, formBody, OOB_CHALLENGE_HINT, OOB_GRANT_TYPE, type AuthMethod, type Channel } from '../protocol/index.js'
import type { Accounts, TargetConfig } from '../config/target.js'
import { expect, skip } from './steps.js'


export type ClientKind = keyof Accounts['clients']
export type UserKind = keyof Accounts['users']
export type InitiationEndpoint = 'primaryAuthenticate' | 'oobAuthenticate'

export interface ClientChoice {
  client?: ClientKind
  /** Default: `none` for public clients, `client_secret_basic` for the confidential one. */
  auth?: AuthMethod
}

export interface Transaction {
  oobCode: string
  expiresIn: number
  interval?: number
  channel: string
  bindingMethod: string
  bindingCode?: string
  /** The user the transaction is for (its `login_hint`). */
  loginHint: string
  client: ClientChoice
  /** `performance.now()` when the initiation response arrived: `expires_in` counts from here. */
  receivedAt: number
}

const CHANNEL_OF: Record<UserKind, Channel> = {
  push: 'push', number: 'push', sms: 'sms', voice: 'voice', email: 'email', unenrolled: 'push',
}

/** One line describing a response for failure messages: status, error code or body excerpt. */
export function describeResponse(res: HttpResponse): string {
  const body = res.json as Record<string, unknown> | undefined
  if (body && typeof body.error === 'string') return `${res.status} ${body.error}`
  if (body && typeof body.access_token === 'string') return `${res.status} with tokens`
  // One line for the report: an HTML error page reads as its text, not as "<html>".
  const flat = res.text.replace(/\s+/g, ' ').trim()
  const text = flat.length > 120 ? flat.slice(0, 120) + '…' : flat
  return `${res.status} ${text || '(empty body)'}`
}

export function oauthError(res: HttpResponse): string | undefined {
  const body = res.json as { error?: unknown } | undefined
  return typeof body?.error === 'string' ? body.error : undefined
}

export function hasTokens(res: HttpResponse): boolean {
  const body = res.json as { access_token?: unknown } | undefined
  return res.status === 200 && typeof body?.access_token === 'string'
}

export class OobClient {
  constructor(readonly target: TargetConfig, readonly http: HttpClient) {}

  /** Body parameters and headers that authenticate `choice` (RFC 6749 §2.3.1). */
  credentials(choice: ClientChoice = {}): { params: Record<string, string>; headers: Record<string, string> } {
    const kind = choice.client ?? 'public'
    const account = this.target.accounts.clients[kind]
    const auth = choice.auth ?? (kind === 'confidential' ? 'client_secret_basic' : 'none')
    if (auth === 'none') return { params: { client_id: account.clientId }, headers: {} }
    if (!account.clientSecret) {
      skip(`the ${kind} client has no secret configured: set OOB_CLIENT_SECRET or clients.confidential.client_secret`)
    }
    if (auth === 'client_secret_post') {
      return { params: { client_id: account.clientId, client_secret: account.clientSecret }, headers: {} }
    }
    return { params: {}, headers: { authorization: basicAuthorization(account.clientId, account.clientSecret) } }
  }

  /** POST a form to an endpoint, as is: for negative checks that need full control over the request. */
  post(endpoint: keyof TargetConfig['endpoints'], body: string, headers: Record<string, string> = {},
    options: { retryOn429?: boolean } = {}): Promise<HttpResponse> {
    return this.http.send({
      method: 'POST',
      url: this.target.endpoints[endpoint],
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
      body,
      operation: endpoint,
      ...options,
    })
  }

  /** The initiation request; `params` adds to or (with `undefined`) removes from the standard parameters. */
  authenticate(user: UserKind | string, params: Record<string, string | string[] | undefined> = {},
    options: ClientChoice & { endpoint?: InitiationEndpoint } = {}): Promise<HttpResponse> {
    const endpoint = options.endpoint ?? this.target.initiation
    const loginHint = user in this.target.accounts.users ? this.target.accounts.users[user as UserKind] : user
    const { params: auth, headers } = this.credentials(options)
    const standard: Record<string, string | string[] | undefined> = {
      ...auth,
      login_hint: loginHint,
      channel_hint: CHANNEL_OF[user as UserKind] ?? 'push',
      ...(endpoint === 'primaryAuthenticate' && { challenge_hint: OOB_CHALLENGE_HINT }),
    }
    return this.post(endpoint, formBody({ ...standard, ...params }), headers)
  }

  /**
   * Starts a transaction for a standard user and insists on a usable 200: the basis of every flow check. A
   * start that fails blames only the start's requirement: the client authentication it used (confidential
   * client) or initiation itself (`OOB-S-INIT-FORM-POST`); a 200 without `oob_code` or a numeric `expires_in`
   * blames `OOB-S-INIT-RESPONSE-FIELDS`.
   */
  async start(user: UserKind, options: ClientChoice & { endpoint?: InitiationEndpoint; channel?: Channel } = {}): Promise<Transaction> {
    const res = await this.authenticate(user, options.channel ? { channel_hint: options.channel } : {}, options)
    const body = res.json as Record<string, unknown> | undefined
    expect(startRequirement(options), res.status === 200 && typeof body === 'object' && body !== null,
      () => `starting a ${user} transaction failed: ${describeResponse(res)}`, `a ${user} transaction started`)
    const fields = body as Record<string, unknown>
    const missing = [
      ...(typeof fields.oob_code === 'string' && fields.oob_code.length > 0 ? [] : ['oob_code']),
      ...(typeof fields.expires_in === 'number' ? [] : ['numeric expires_in']),
    ]
    expect('OOB-S-INIT-RESPONSE-FIELDS', missing.length === 0,
      () => `the initiation response for ${user} has no ${missing.join(' and ')}`, 'oob_code and expires_in present')
    return {
      oobCode: fields.oob_code as string,
      expiresIn: fields.expires_in as number,
      interval: typeof fields.interval === 'number' ? fields.interval : undefined,
      channel: String(fields.channel),
      bindingMethod: String(fields.binding_method),
      bindingCode: typeof fields.binding_code === 'string' ? fields.binding_code : undefined,
      loginHint: this.target.accounts.users[user],
      client: { client: options.client, auth: options.auth },
      receivedAt: performance.now(),
    }
  }

  /** A token request for the OOB grant; `params` adds to or (with `undefined`) removes standard parameters. */
  token(oobCode: string, params: Record<string, string | string[] | undefined> = {}, choice: ClientChoice = {},
    options: { retryOn429?: boolean } = {}): Promise<HttpResponse> {
    const { params: auth, headers } = this.credentials(choice)
    const body = formBody({ ...auth, grant_type: OOB_GRANT_TYPE, oob_code: oobCode, scope: this.target.accounts.scope, ...params })
    return this.post('token', body, headers, options)
  }

  /** A token request for `tx` with the client that started it; remembers when it was sent too late to judge. */
  async redeem(tx: Transaction, params: Record<string, string | string[] | undefined> = {}): Promise<HttpResponse> {
    const sentAfter = (performance.now() - tx.receivedAt) / 1000
    const res = await this.token(tx.oobCode, params, tx.client)
    // The server's clock started before ours (by the initiation's latency): a second of margin.
    if (sentAfter >= tx.expiresIn - 1) late.set(res, { sentAfter, expiresIn: tx.expiresIn })
    return res
  }
}

const late = new WeakMap<HttpResponse, { sentAfter: number; expiresIn: number }>()

/**
 * Why a response cannot be judged against a live code's expectation: the check itself sent the request when the
 * code had (about) expired — its own waits, or a machine too busy to keep them, outlived `expires_in`.
 */
export function sentTooLate(res: HttpResponse): string | undefined {
  const at = late.get(res)
  return at && `the request was sent ${at.sentAfter.toFixed(1)} s after initiation, when the oob_code ` +
    `(expires_in ${at.expiresIn} s) had expired or was about to: the check's own delay, not the server`
}

/** The requirement a transaction's start exercises: the client authentication it uses, or initiation itself. */
export function startRequirement(choice: ClientChoice): string {
  if (choice.client !== 'confidential') return 'OOB-S-INIT-FORM-POST'
  return choice.auth === 'client_secret_post' ? 'OOB-S-CLIENT-SECRET-POST' : 'OOB-S-CLIENT-SECRET-BASIC'
}

/**
 * A token request body for a well-formed but unknown `oob_code`, plus `extra`: for checks of what the server
 * does before it looks at the code (client authentication, parameter handling).
 */
export function unknownCodeTokenForm(target: TargetConfig, extra: Record<string, string | string[] | undefined>): string {
  return formBody({ grant_type: OOB_GRANT_TYPE, oob_code: 'oob-conformance-unknown-code', scope: target.accounts.scope, ...extra })
}
