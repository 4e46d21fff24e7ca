/**
 * OpenID Provider metadata and JWKS of each authorization server. No metadata field advertises the OOB
 * endpoints (Okta has none either, protocol.md §1.1): clients derive them from `token_endpoint` or
 * the issuer.
 * @module
 */

import { AUTH_METHODS, OOB_GRANT_TYPE } from '../protocol/index.js'
import { orgIssuer, type AuthorizationServer, type ServerContext } from './context.js'
import { SCOPES } from './token.js'

export function metadata(context: ServerContext, server: AuthorizationServer, requestUrl: string) {
  return providerMetadata(orgIssuer(context, requestUrl), server)
}

/** The metadata of `server` in the org at `org` (an origin); also what client-check's scripted server serves. */
export function providerMetadata(org: string, server: Pick<AuthorizationServer, 'issuerPath' | 'basePath'>) {
  const base = org + server.basePath
  return {
    issuer: org + server.issuerPath,
    token_endpoint: `${base}/token`,
    jwks_uri: `${base}/keys`,
    grant_types_supported: [OOB_GRANT_TYPE],
    token_endpoint_auth_methods_supported: [...AUTH_METHODS],
    scopes_supported: [...SCOPES],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
  }
}

export function jwks(server: Pick<AuthorizationServer, 'key'>) {
  return { keys: [server.key.publicJwk] }
}
