/**
 * Reading an OAuth request: `application/x-www-form-urlencoded` only, with the RFC 6749 §3.2 parameter rules.
 * Anything malformed becomes a 400 `invalid_request`, never an exception.
 * @module
 */

import { FORM_MEDIA_TYPE } from '../protocol/index.js'
import type { Behaviour } from './behaviour.js'
import { invalidRequest, type OAuthErrorSpec } from './responses.js'

export type Endpoint = 'oob-authenticate' | 'primary-authenticate' | 'token'

/** Parameters after the §3.2 rules: empty values dropped, at most one value per name. */
export type Params = ReadonlyMap<string, string>

const CLIENT_PARAMETERS = ['client_id', 'client_secret', 'client_assertion', 'client_assertion_type']
const INITIATION_PARAMETERS = new Set([
  ...CLIENT_PARAMETERS, 'login_hint', 'channel_hint', 'challenge_hint', 'scope',
])

/** The parameters each endpoint reads; any other name is "unrecognized" in the sense of RFC 6749 §3.2. */
export const PARAMETERS: Readonly<Record<Endpoint, ReadonlySet<string>>> = {
  'oob-authenticate': INITIATION_PARAMETERS,
  'primary-authenticate': INITIATION_PARAMETERS,
  token: new Set([...CLIENT_PARAMETERS, 'grant_type', 'oob_code', 'scope', 'binding_code']),
}

/** `type/subtype` in lower case and the charset parameter, if any. */
function mediaType(contentType: string | null): { type: string; charset?: string } {
  if (contentType === null) return { type: '' }
  const [type = '', ...parameters] = contentType.split(';')
  const result: { type: string; charset?: string } = { type: type.trim().toLowerCase() }
  for (const parameter of parameters) {
    const eq = parameter.indexOf('=')
    if (eq !== -1 && parameter.slice(0, eq).trim().toLowerCase() === 'charset') {
      result.charset = parameter.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase()
    }
  }
  return result
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

function queryHasClientSecret(url: string): boolean {
  const q = url.indexOf('?')
  if (q === -1) return false
  // RFC 6749 §2.3.1: credentials "MUST NOT be included in the request URI"; an empty one counts as omitted.
  return new URLSearchParams(url.slice(q + 1)).getAll('client_secret').some((v) => v !== '')
}

export async function readForm(
  request: Request,
  endpoint: Endpoint,
  behaviour: Behaviour,
): Promise<Params | OAuthErrorSpec> {
  if (queryHasClientSecret(request.url)) {
    return invalidRequest('client_secret must not be sent in the request URI.')
  }
  // A GET (only when `allowsMethod` lets one through: a defect) carries its form in the query string.
  const query = request.method === 'GET'
  const { type, charset } = query
    ? { type: FORM_MEDIA_TYPE, charset: undefined }
    : mediaType(request.headers.get('content-type'))
  if (charset !== undefined && charset !== 'utf-8') {
    return invalidRequest(`The charset '${printable(charset)}' isn't supported.`)
  }
  let text: string
  try {
    text = query ? new URL(request.url).search.slice(1) : utf8.decode(await request.arrayBuffer())
  } catch {
    return invalidRequest('The request body is not valid UTF-8.')
  }
  const pairs = behaviour.parseBody(type, text)
  if (pairs === undefined) return invalidRequest(`The request body must be a valid ${FORM_MEDIA_TYPE} form.`)
  const params = new Map<string, string>()
  const known = PARAMETERS[endpoint]
  for (const [name, value] of pairs) {
    if (value === '') continue
    if (params.has(name) && behaviour.rejectDuplicate(name)) {
      return invalidRequest(`The parameter '${printable(name)}' is included more than once.`)
    }
    if (!known.has(name) && behaviour.unknownParameter(name, endpoint) === 'reject') {
      return invalidRequest(`The parameter '${printable(name)}' isn't supported.`)
    }
    params.set(name, value)
  }
  return params
}

/**
 * RFC 6749 §5.2 limits `error_description` to %x20-21 / %x23-5B / %x5D-7E, so a client-chosen name quoted in
 * one must be reduced to that set.
 */
export function printable(text: string): string {
  return text.slice(0, 64).replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?')
}

/** A required parameter's value, or what the behaviour answers for its absence. */
export function required(
  params: Params,
  name: string,
  endpoint: Endpoint,
  behaviour: Behaviour,
): string | OAuthErrorSpec {
  return params.get(name) ?? behaviour.missingParameter(name, endpoint)
}
