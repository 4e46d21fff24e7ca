/**
 * fast-check arbitraries for requests to the OOB endpoints, derived from the spec: which parameters an
 * operation has, which are required under the profile, and their `const`/`enum` values all come from
 * `requestParameters` of the contract, so a parameter added to `spec/openapi.yaml` gets generated without an
 * edit here. Values are mostly meaningful (the target's accounts, the live `oob_code`) and sometimes odd; the
 * transport is varied on top: repeats, unknown names, raw and broken percent-encoding, content types, JSON
 * bodies and the query string.
 *
 * A generated request is abstract where it refers to the target — a near-miss `oob_code` is "the live code
 * with its 7th character changed" — so that a shrunk counterexample replays against a fresh transaction.
 * @module
 */
import fc from 'fast-check'
import { loadContract, type OperationId, type RequestParameter } from '../contract/index.js'
import type { TargetConfig } from '../config/target.js'
import type { HttpRequest } from '../http/client.js'
import { basicAuthorization, OOB_GRANT_TYPE } from '../protocol/index.js'

/** A change to the live `oob_code`: the near misses a guessing attacker or a buggy client would send. */
export type CodeMutation =
  | { mutation: 'unchanged' }
  | { mutation: 'replace'; at: number; char: string }
  | { mutation: 'truncate'; by: number }
  | { mutation: 'extend'; with: string }
  | { mutation: 'flip-case'; at: number }

export type GeneratedValue = string | CodeMutation

export interface GeneratedParameter {
  name: string
  value: GeneratedValue
  /** Already-encoded text appended to the encoded value: `%zz`, an overlong UTF-8 sequence, a raw NUL, … */
  tail?: string
}

export type Credentials = 'confidential-basic' | 'wrong-secret-basic' | 'bearer'

export interface GeneratedRequest {
  operation: OperationId
  /** In order; a name may repeat. */
  parameters: GeneratedParameter[]
  /** Where the parameters go; `split` sends every other one in the query string. */
  placement: 'body' | 'query' | 'split'
  /** `raw` joins names and values without escaping them. */
  encoding: 'form' | 'raw' | 'json'
  contentType: string
  authorization?: Credentials
}

export interface RequestContext {
  target: TargetConfig
  /** The live, never-approved `oob_code` that near misses are made from. */
  oobCode?: string
}

const FORM = 'application/x-www-form-urlencoded'

/** Escapes and bytes a form parser must survive (RFC 3986 §2.1, RFC 3629 §3: overlong forms are invalid). */
const ENCODING_EDGES = [
  '%zz', '%', '%2', '%C0%AF', '%00', '%FF', '%E2%82', '%ED%A0%80', '+', '%2B', '%0D%0A', 'é', '\u0000', ';',
]

const CONTENT_TYPES = [
  `${FORM}; charset=UTF-8`, `${FORM}; charset=ISO-8859-1`, FORM.toUpperCase(), 'application/json',
  'text/plain', 'multipart/form-data; boundary=oob',
]

/** Odd values that are someone else's correct ones, by parameter. */
const OTHER_VALUES: Readonly<Record<string, string[]>> = {
  grant_type: [
    'authorization_code', 'password', 'refresh_token', 'client_credentials',
    'urn:okta:params:oauth:grant-type:otp', 'urn:okta:params:oauth:grant-type:mfa-oob',
    'urn:ietf:params:oauth:grant-type:device_code', 'urn:openid:params:grant-type:ciba',
  ],
}

/** Mostly `usual`, now and then `odd`; an odd value shrinks towards a usual one. */
const mostly = <T, U>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<U>, weight = 6) =>
  fc.oneof({ withCrossShrink: true }, { weight, arbitrary: usual }, { weight: 1, arbitrary: odd })

/** `arbitrary` in `weight` of `of` cases, otherwise absent; shrinks towards absent. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, weight: number, of: number) => fc.oneof(
  { withCrossShrink: true },
  { weight: of - weight, arbitrary: fc.constant(undefined) },
  { weight, arbitrary },
)

/**
 * Any code point, lone surrogates included (what `unit: 'binary'` gives), mapped from an integer: fast-check's
 * own 'binary' unit builds a reverse table of every code point (about a second of CPU per process).
 */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c))

const oddText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: anyCodePoint, maxLength: 12 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 4 }),
  fc.constantFrom('', ' ', '&', '=', '%', 'null', '[]', '{}', '0'),
)

const flipCase = (text: string) =>
  [...text].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join('')

/** The values just beside a correct one: wrong case, stray whitespace, one character short or long. */
export function nearMisses(value: string): string[] {
  const misses = [flipCase(value), ` ${value}`, `${value} `, value.slice(0, -1), `${value}x`]
  return [...new Set(misses)].filter((v) => v !== value)
}

const codeMutation: fc.Arbitrary<CodeMutation> = fc.oneof(
  fc.constant({ mutation: 'unchanged' as const }),
  fc.record({
    mutation: fc.constant('replace' as const), at: fc.nat(), char: fc.constantFrom('A', 'z', '0', '-', '.'),
  }),
  fc.record({ mutation: fc.constant('truncate' as const), by: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ mutation: fc.constant('extend' as const), with: fc.constantFrom('A', '0', '==', '%00', ' ') }),
  fc.record({ mutation: fc.constant('flip-case' as const), at: fc.nat() }),
)

/** The meaningful values of the parameters the protocol names, from the target's accounts. */
function meaningfulValues(target: TargetConfig): Record<string, fc.Arbitrary<GeneratedValue>> {
  const { clients, users, scope } = target.accounts
  const scopes = scope.split(' ')
  return {
    client_id: mostly(fc.constant(clients.public.clientId), fc.constantFrom(
      clients.confidential.clientId, clients.noGrant.clientId, 'oob-conformance-no-such-client')),
    client_secret: fc.constantFrom(clients.confidential.clientSecret ?? 'secret', 'not-the-secret'),
    oob_code: mostly(codeMutation, fc.constantFrom('oob-conformance-unknown-code', 'ftNeverIssued0000000')),
    scope: mostly(fc.constant(scope), fc.oneof(
      fc.subarray(scopes, { minLength: 1 }).map((s) => s.join(' ')),
      fc.constantFrom(`${scope} admin`, scopes.join('  '), ` ${scope}`, scopes.join('+'), 'admin'))),
    binding_code: fc.oneof(fc.stringMatching(/^[0-9]{6}$/), fc.constantFrom('ABCDEFGH', '000000')),
    grant_types_supported: fc.subarray([
      OOB_GRANT_TYPE, 'urn:okta:params:oauth:grant-type:otp',
      'urn:okta:params:oauth:grant-type:mfa-oob', 'password',
    ], { minLength: 1 }).map((g) => g.join(' ')),
    login_hint: mostly(fc.constantFrom(...Object.values(users)),
      fc.constantFrom('nobody@example.test', 'PUSH@EXAMPLE.TEST', 'push@example.test ', 'not an email')),
  }
}

function parameterValue(parameter: RequestParameter, meaningful: fc.Arbitrary<GeneratedValue> | undefined) {
  const known = parameter.const !== undefined ? [parameter.const] : parameter.enum ?? []
  const usual: fc.Arbitrary<GeneratedValue> | undefined = meaningful ??
    (known.length > 0 ? fc.constantFrom(...known) : undefined)
  if (usual === undefined) return oddText
  const misses = [...known.flatMap(nearMisses), ...OTHER_VALUES[parameter.name] ?? []]
  return mostly(usual, misses.length > 0 ? fc.oneof(fc.constantFrom(...misses), oddText) : oddText)
}

/**
 * Requests for `operation` as the spec describes it under the target's profile: required parameters (and
 * `client_id`, without which nothing gets past client authentication) are usually sent, optional ones
 * sometimes, each with a meaningful value or a near miss; plus repeats, parameters of the other operations
 * and unknown names, and the transport variations.
 */
export function requestArbitrary(operation: OperationId, target: TargetConfig) {
  const contract = loadContract()
  const own = contract.requestParameters(operation, target.profile)
  const meaningful = meaningfulValues(target)
  const ownNames = new Set(own.map((p) => p.name))
  const foreignNames = (['token', 'primaryAuthenticate'] as const)
    .flatMap((op) => contract.requestParameters(op, target.profile).map((p) => p.name))
    .filter((name) => !ownNames.has(name))
  const parameter = (p: RequestParameter) => fc.record({
    name: fc.constant(p.name),
    value: parameterValue(p, meaningful[p.name]),
    tail: sometimes(fc.constantFrom(...ENCODING_EDGES), 1, 10),
  })
  const spec = fc.tuple(...own.map((p) => p.required || p.name === 'client_id'
    ? sometimes(parameter(p), 11, 12)
    : sometimes(parameter(p), 1, 3)))
  const unknownName = fc.oneof(
    fc.constantFrom('x_conformance', 'acr_values', 'nonce', 'state', 'redirect_uri', ...foreignNames),
    fc.string({ minLength: 1, maxLength: 8 }),
  )
  const unknown = fc.array(fc.record({ name: unknownName, value: oddText }), { minLength: 1, maxLength: 2 })
  const credentials = fc.constantFrom<Credentials>('confidential-basic', 'wrong-secret-basic', 'bearer')
  return fc.record({
    spec,
    unknown: sometimes(unknown, 1, 4),
    repeat: sometimes(fc.record({ index: fc.nat(), value: fc.option(oddText, { nil: undefined }) }), 1, 6),
    placement: mostly(fc.constant('body' as const), fc.constantFrom('query' as const, 'split' as const), 10),
    encoding: mostly(fc.constant('form' as const), fc.constantFrom('raw' as const, 'json' as const), 8),
    contentType: mostly(fc.constant(FORM), fc.constantFrom(...CONTENT_TYPES), 8),
    authorization: sometimes(credentials, 1, 10),
  })
    .map(({ spec, unknown, repeat, ...transport }): GeneratedRequest => {
      const parameters: GeneratedParameter[] = [...spec.filter((p) => p !== undefined), ...unknown ?? []]
      if (repeat !== undefined && parameters.length > 0) {
        const original = parameters[repeat.index % parameters.length]!
        parameters.push({ name: original.name, value: repeat.value ?? original.value })
      }
      return { operation, parameters, ...transport }
    })
}

export function applyMutation(code: string, m: CodeMutation): string {
  switch (m.mutation) {
    case 'unchanged': return code
    case 'replace': {
      const at = m.at % Math.max(code.length, 1)
      return code.slice(0, at) + m.char + code.slice(at + 1)
    }
    case 'truncate': return code.slice(0, Math.max(0, code.length - m.by))
    case 'extend': return code + m.with
    case 'flip-case': {
      const at = m.at % Math.max(code.length, 1)
      return code.slice(0, at) + flipCase(code.charAt(at)) + code.slice(at + 1)
    }
  }
}

function valueOf(value: GeneratedValue, context: RequestContext): string {
  if (typeof value === 'string') return value
  return applyMutation(context.oobCode ?? 'oob-conformance-unknown-code', value)
}

/** One `name=value` pair: form-encoded (`URLSearchParams` rules, so `+` for space) or raw, plus the tail. */
function pair(name: string, value: string, encoding: GeneratedRequest['encoding'], tail = ''): string {
  const text = encoding === 'raw' ? `${name}=${value}` : new URLSearchParams([[name, value]]).toString()
  return text + tail
}

/** The HTTP request a generated one stands for, against `context`'s target and live `oob_code`. */
export function materialize(request: GeneratedRequest, context: RequestContext): HttpRequest {
  const { target } = context
  const values = request.parameters.map((p) => ({ ...p, text: valueOf(p.value, context) }))
  const inQuery = (i: number) =>
    request.placement === 'query' || (request.placement === 'split' && i % 2 === 1)
  const query = values.filter((_, i) => inQuery(i)).map((p) => pair(p.name, p.text, request.encoding, p.tail))
  const inBody = values.filter((_, i) => !inQuery(i))
  const body = request.encoding === 'json'
    ? JSON.stringify(Object.fromEntries(inBody.map((p) => [p.name, p.text])))
    : inBody.map((p) => pair(p.name, p.text, request.encoding, p.tail)).join('&')
  const headers: Record<string, string> = { 'content-type': request.contentType, accept: 'application/json' }
  const { clientId, clientSecret = '' } = target.accounts.clients.confidential
  const authorization = {
    'confidential-basic': () => basicAuthorization(clientId, clientSecret),
    'wrong-secret-basic': () => basicAuthorization(clientId, 'not-the-secret'),
    bearer: () => 'Bearer oob-conformance',
  }
  if (request.authorization) headers.authorization = authorization[request.authorization]()
  const url = target.endpoints[request.operation]
  return {
    method: 'POST',
    url: query.length === 0 ? url : `${url}${url.includes('?') ? '&' : '?'}${query.join('&')}`,
    headers,
    body,
    operation: request.operation,
  }
}

/** One line for a report: operation, content type, authorization scheme, query string and body, shortened. */
export function describeRequest(request: HttpRequest): string {
  const q = request.url.indexOf('?')
  const query = q === -1 ? '' : ` query ${JSON.stringify(request.url.slice(q + 1))}`
  const scheme = request.headers?.authorization?.split(' ')[0]
  const auth = scheme ? `, ${scheme} authorization` : ''
  const body = request.body ?? ''
  const shown = body.length > 160 ? `${body.slice(0, 160)}…` : body
  const type = request.headers?.['content-type']
  return `${request.operation}: ${type}${auth}${query} body ${JSON.stringify(shown)}`
}
