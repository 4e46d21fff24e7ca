/**
 * The flow's responses as the client reads them: wire types generated from `spec/openapi.yaml`, parsed into
 * the client's own shapes. Unknown members are ignored everywhere (RFC 6749 §5.1: "The client MUST ignore
 * unrecognized value names in the response.").
 * @module
 */
import type { components } from '../../spec/generated/openapi.js'
import { isBindingMethod, type BindingMethod } from '../protocol/index.js'
import { OobClientError } from './error.js'

type Schemas = components['schemas']
export type InitiationResponse = Schemas['OobAuthenticateResponse']
export type TokenResponse = Schemas['TokenResponse']

/** A started transaction: what the initiation response said, plus when the client sent and received it. */
export interface OobTransaction {
  oobCode: string
  /** Seconds the `oob_code` lives, counted from `receivedAt`. */
  expiresIn: number
  /** The `interval` of the initiation response, when it had one. */
  interval?: number
  /** Seconds between polls before any `slow_down`: `interval`, or 5 when absent (RFC 8628 §3.2). */
  pollInterval: number
  channel: string
  bindingMethod: BindingMethod
  /** `transfer` only: the number the user must pick on the other device. */
  bindingCode?: string
  /** The client clock when the initiation request was sent: the first poll is one interval later. */
  sentAt: number
  /** The client clock when the initiation response arrived: `expiresIn` counts from here. */
  receivedAt: number
}

export interface TokenSet {
  tokenType: string
  accessToken: string
  expiresIn?: number
  scope?: string
  idToken?: string
  refreshToken?: string
}

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function invalid(what: string): OobClientError {
  return new OobClientError('ERR_INVALID_RESPONSE', `the ${what}`)
}

const isPositive = (value: unknown): value is number => typeof value === 'number' && value > 0

export function parseInitiation(body: unknown, times: { sentAt: number; receivedAt: number }):
  Omit<OobTransaction, 'pollInterval'> {
  if (!isObject(body)) throw invalid('initiation response is not a JSON object')
  const { oob_code: oobCode, expires_in: expiresIn, interval, channel, binding_method: bindingMethod,
    binding_code: bindingCode } = body as Partial<InitiationResponse>
  if (typeof oobCode !== 'string' || oobCode === '') throw invalid('initiation response has no oob_code')
  if (!isPositive(expiresIn)) throw invalid('initiation response has no positive expires_in')
  if (interval !== undefined && !isPositive(interval)) {
    throw invalid('initiation response has an invalid interval')
  }
  if (!isBindingMethod(bindingMethod)) {
    throw invalid(`initiation response has an unknown binding_method ${JSON.stringify(bindingMethod)}`)
  }
  const tx: Omit<OobTransaction, 'pollInterval'> =
    { oobCode, expiresIn, channel: String(channel), bindingMethod, ...times }
  if (interval !== undefined) tx.interval = interval
  if (bindingMethod === 'transfer') {
    // The user cannot pick a number the client cannot show (Okta's SDKs fail the same way).
    if (typeof bindingCode !== 'string' || bindingCode === '') {
      throw new OobClientError('ERR_BINDING_CODE_MISSING',
        'the initiation response has binding_method transfer but no binding_code to show the user')
    }
    tx.bindingCode = bindingCode
  }
  return tx
}

/** `understands`: whether the client can use an access token of a `token_type` (RFC 6749 §7.1). */
export function parseTokens(body: unknown, understands: (tokenType: string) => boolean): TokenSet {
  if (!isObject(body)) throw invalid('token response is not a JSON object')
  const { token_type: tokenType, access_token: accessToken, expires_in: expiresIn, scope, id_token: idToken,
    refresh_token: refreshToken } = body as Partial<TokenResponse>
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw invalid('token response has no access_token')
  }
  if (typeof tokenType !== 'string' || !understands(tokenType)) {
    throw new OobClientError('ERR_TOKEN_TYPE_UNSUPPORTED',
      `the token response has token_type ${JSON.stringify(tokenType)}; this client only uses Bearer tokens`)
  }
  const tokens: TokenSet = { tokenType, accessToken }
  if (typeof expiresIn === 'number') tokens.expiresIn = expiresIn
  if (typeof scope === 'string') tokens.scope = scope
  if (typeof idToken === 'string') tokens.idToken = idToken
  if (typeof refreshToken === 'string') tokens.refreshToken = refreshToken
  return tokens
}
