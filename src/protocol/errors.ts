/**
 * The two shapes of an error answer: RFC 6749 §5.2's `{error, error_description}` and Okta's management-API
 * `{errorCode, errorSummary, …}`, which Okta also sends for some 429 and 5xx answers.
 * @module
 */
import type { components } from '../../spec/generated/openapi.js'

type Schemas = components['schemas']

/** RFC 6749 §5.2 error response. */
export type OAuthErrorBody = Schemas['OAuthError']
/** Okta's management-API error. */
export type OktaErrorBody = Schemas['OktaError']

/** What an error answer says, whichever shape carried it. */
export interface ProtocolError {
  /** RFC 6749 `error`, or Okta's `errorCode`. */
  error: string
  /** RFC 6749 `error_description`, or Okta's `errorSummary`. */
  errorDescription?: string
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The error a parsed JSON body carries in either shape; RFC 6749's wins when both are present. */
export function errorOf(body: unknown): ProtocolError | undefined {
  if (!isObject(body)) return undefined
  const text = (key: string) => (typeof body[key] === 'string' ? body[key] : undefined)
  const [error, errorDescription] = text('error') !== undefined
    ? [text('error'), text('error_description')]
    : [text('errorCode'), text('errorSummary')]
  if (error === undefined) return undefined
  return errorDescription === undefined ? { error } : { error, errorDescription }
}
