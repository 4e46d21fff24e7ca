/**
 * `client_secret_basic`: the client's id and secret in an `Authorization: Basic` header (RFC 7617), each
 * form-urlencoded first (RFC 6749 §2.3.1).
 * @module
 */
import { decodeFormComponent, encodeFormComponent } from './form.js'

export interface BasicCredentials {
  clientId: string
  clientSecret: string
}

/**
 * RFC 6749 §2.3.1: "The client identifier is encoded using the application/x-www-form-urlencoded encoding
 * algorithm per Appendix B, and the encoded value is used as the username; the client password is encoded
 * using the same algorithm and used as the password."
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const userPass = `${encodeFormComponent(clientId)}:${encodeFormComponent(clientSecret)}`
  return `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`
}

/** The scheme is case-insensitive (RFC 9110 §11.1); the credentials are one base64 token68 (RFC 7617 §2). */
const BASIC = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i

/**
 * The user-id and password of a Basic header as sent, not yet form-decoded; `undefined` when the header is
 * not Basic or has no colon. The user-id ends at the first colon (RFC 7617 §2: it cannot contain one).
 */
export function basicUserPass(authorization: string): { userId: string; password: string } | undefined {
  const token = BASIC.exec(authorization)?.[1]
  if (token === undefined) return undefined
  const decoded = Buffer.from(token, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon === -1) return undefined
  return { userId: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/** The client credentials of a Basic header, form-decoded; `undefined` when it is malformed. */
export function parseBasicAuthorization(authorization: string): BasicCredentials | undefined {
  const userPass = basicUserPass(authorization)
  if (userPass === undefined) return undefined
  try {
    return { clientId: decodeFormComponent(userPass.userId), clientSecret: decodeFormComponent(userPass.password) }
  } catch {
    return undefined
  }
}
