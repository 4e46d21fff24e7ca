/**
 * Client authentication (RFC 6749 §2.3) for the registered methods of spec/accounts.json: `none`,
 * `client_secret_basic` and `client_secret_post`. A `client_assertion` is recognised only so that it can be
 * counted (and rejected): no standard client is registered for JWT authentication.
 * @module
 */

import { parseBasicAuthorization, type AuthMethod } from '../protocol/index.js'
import { clients, type Client } from './accounts.js'
import type { Behaviour } from './behaviour.js'
import type { Params } from './form.js'
import { invalidRequest, type OAuthErrorSpec } from './responses.js'

export type PresentedMethod = AuthMethod | 'client_assertion'

export interface PresentedCredentials {
  method: PresentedMethod
  /** Who the request claims to be; `undefined` when it names no client or the header is malformed. */
  clientId?: string | undefined
  secret?: string | undefined
}

export const WWW_AUTHENTICATE = 'Basic realm="oob-conformance"'

/** Any `Authorization` header is an attempt at `client_secret_basic`; a malformed one names no client. */
function presentedBasic(authorization: string): PresentedCredentials {
  const credentials = parseBasicAuthorization(authorization)
  return credentials === undefined
    ? { method: 'client_secret_basic' }
    : { method: 'client_secret_basic', clientId: credentials.clientId, secret: credentials.clientSecret }
}

/** The credentials a request carries, or the 400 for carrying more than one kind (RFC 6749 §2.3). */
export function presentedCredentials(
  authorization: string | null,
  params: Params,
  behaviour: Behaviour,
): PresentedCredentials | OAuthErrorSpec {
  const clientId = params.get('client_id')
  const presented: PresentedCredentials[] = []
  if (authorization !== null) presented.push(presentedBasic(authorization))
  const secret = params.get('client_secret')
  if (secret !== undefined) presented.push({ method: 'client_secret_post', clientId, secret })
  if (params.has('client_assertion') || params.has('client_assertion_type')) {
    presented.push({ method: 'client_assertion', clientId })
  }
  if (behaviour.rejectsAuthMethods(presented.map((p) => p.method))) {
    return invalidRequest("Can't supply multiple client credentials. Use one of: the Authorization header, " +
      'the body, or a client_assertion.')
  }
  const [first] = presented
  if (first === undefined) return { method: 'none', clientId }
  if (first.method === 'client_secret_basic' && clientId !== undefined && first.clientId !== undefined &&
    clientId !== first.clientId) {
    return invalidRequest('The client_id in the body does not match the Authorization header.')
  }
  return first
}

export function authenticateClient(
  presented: PresentedCredentials,
  behaviour: Behaviour,
): Client | OAuthErrorSpec {
  if (presented.clientId === undefined) {
    return { status: 401, error: 'invalid_client', description: 'No client credentials found.' }
  }
  const client = clients.get(presented.clientId)
  if (client === undefined || !behaviour.authenticates(client, presented)) {
    return { status: 401, error: 'invalid_client', description: 'Client authentication failed.' }
  }
  return client
}
