/**
 * JSON responses. Every OAuth response carries exactly `Content-Type: application/json` (Okta's Kotlin SDK
 * compares the string for equality, so no charset parameter) and the RFC 6749 §5.1 cache headers, which also
 * protect the `oob_code` and `binding_code` of an initiation response.
 * @module
 */
import type { OAuthErrorBody } from '../protocol/index.js'

export interface OAuthErrorSpec {
  status: number
  /** RFC 6749 §5.2 error code. */
  error: string
  description?: string
}

export function isOAuthError(value: unknown): value is OAuthErrorSpec {
  return typeof value === 'object' && value !== null && 'error' in value && 'status' in value
}

export function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      ...headers,
    },
  })
}

/** The one builder of every OAuth error response. */
export function oauthError(spec: OAuthErrorSpec, headers?: Record<string, string>): Response {
  const body: OAuthErrorBody = spec.description === undefined
    ? { error: spec.error }
    : { error: spec.error, error_description: spec.description }
  return jsonResponse(spec.status, body, headers)
}

export function invalidRequest(description: string): OAuthErrorSpec {
  return { status: 400, error: 'invalid_request', description }
}
