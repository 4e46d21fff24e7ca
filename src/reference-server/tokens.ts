/**
 * Token issuance: an ES256 key per authorization server, JWT access tokens (RFC 9068 `at+jwt`, Okta's `scp`
 * claim), an ID token when `openid` is granted and an opaque refresh token for `offline_access`.
 * @module
 */

import { randomBytes, randomUUID } from 'node:crypto'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'
import type { Channel } from '../protocol/index.js'

export const ACCESS_TOKEN_LIFETIME = 3600

export interface SigningKey {
  privateKey: CryptoKey
  /** The public half as published in the JWKS. */
  publicJwk: JWK
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const jwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(jwk)
  return { privateKey, publicJwk: { ...jwk, kid, alg: 'ES256', use: 'sig' } }
}

export interface TokenBody {
  token_type: 'Bearer'
  expires_in: number
  access_token: string
  scope: string
  id_token?: string
  refresh_token?: string
}

export interface TokenGrant {
  issuer: string
  /** `aud` of the access token (the ID token's audience is always the client). */
  audience: string
  clientId: string
  subject: string
  scopes: readonly string[]
  channel: Channel
  /** The user's sign-in name, as the ID token's `preferred_username` (OpenID Connect Core §5.1). */
  username?: string
  /** ms since epoch */
  now: number
}

/** RFC 8176 method references; `email` is not registered there, so Okta-style `email` is used for it. */
const AMR: Readonly<Record<Channel, string[]>> = {
  push: ['swk'],
  sms: ['sms', 'otp'],
  voice: ['tel', 'otp'],
  email: ['email', 'otp'],
}

export async function issueTokens(key: SigningKey, grant: TokenGrant): Promise<TokenBody> {
  const iat = Math.floor(grant.now / 1000)
  const exp = iat + ACCESS_TOKEN_LIFETIME
  const kid = key.publicJwk.kid
  const [accessToken, idToken] = await Promise.all([
    new SignJWT({ client_id: grant.clientId, scp: grant.scopes })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
      .setIssuer(grant.issuer).setSubject(grant.subject).setAudience(grant.audience)
      .setIssuedAt(iat).setExpirationTime(exp).setJti(randomUUID())
      .sign(key.privateKey),
    grant.scopes.includes('openid')
      ? new SignJWT({ amr: AMR[grant.channel], auth_time: iat,
        ...(grant.username !== undefined && { preferred_username: grant.username }) })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid })
        .setIssuer(grant.issuer).setSubject(grant.subject).setAudience(grant.clientId)
        .setIssuedAt(iat).setExpirationTime(exp).setJti(randomUUID())
        .sign(key.privateKey)
      : undefined,
  ])
  const body: TokenBody = {
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_LIFETIME,
    access_token: accessToken,
    scope: grant.scopes.join(' '),
  }
  if (idToken !== undefined) body.id_token = idToken
  if (grant.scopes.includes('offline_access')) body.refresh_token = randomBytes(32).toString('base64url')
  return body
}
