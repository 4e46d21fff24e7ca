/**
 * Generated traffic for the reference server, sent in-process through its `fetch`: mostly the protocol played
 * right (initiations, polls, approvals, OTPs, with the codes the server really issued), the rest malformed in
 * every layer (method, path, headers, encoding, body). Shared by the hardening test and `bench/hardening.ts`.
 * @module
 */
import fc from 'fast-check'
import { setImmediate } from 'node:timers/promises'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import {
  basicAuthorization, FORM_MEDIA_TYPE as FORM, OOB_CHALLENGE_HINT, OOB_GRANT_TYPE,
} from '../../src/protocol/index.js'
import type { ReferenceServer } from '../../src/reference-server/index.js'

const ORIGIN = 'http://reference.test'
const PUBLIC_CLIENT = 'oob-public-client'
const CONFIDENTIAL_CLIENT = 'oob-confidential-client'
const CONFIDENTIAL_SECRET = 'oob-confidential-secret'
const SCOPE = 'openid profile offline_access'

const SERVERS = ['/oauth2/v1', '/oauth2/default/v1']
const USERS = [
  ['push@example.test', 'push'], ['number@example.test', 'push'], ['sms@example.test', 'sms'],
  ['voice@example.test', 'voice'], ['email@example.test', 'email'], ['unenrolled@example.test', 'push'],
  ['nobody@example.test', 'sms'], ['push@example.test', 'email'],
] as const

/** A code the server issued, and who asked for it where. */
interface Issued {
  oobCode: string
  server: number
  credentials: Credentials
}

/** What the traffic has learnt from the server's answers: live codes and the OTPs they were sent. */
interface FuzzState {
  codes: Issued[]
  otps: Map<string, string>
}

/** Codes remembered; the oldest are forgotten, as the server forgets them too. */
const REMEMBERED_CODES = 64

/** A code the server issued (by recency: fast-check's bias to small values favours the latest), or a fake. */
type CodeRef = { live: number } | { forged: string }

type Credentials =
  | 'public' | 'confidential-basic' | 'confidential-post' | 'wrong-secret' | 'no-grant' | 'none'
  | { clientId: string; secret?: string }

type FuzzStep =
  | { kind: 'initiate'; server: number; endpoint: 'primary-authenticate' | 'oob-authenticate';
    credentials: Credentials; user: readonly [string, string]; challengeHint: string | undefined }
  | { kind: 'token'; code: CodeRef; asIssuer: boolean; server: number; credentials: Credentials;
    grantType: string | undefined; scope: string | undefined; bindingCode: 'otp' | string | undefined }
  | { kind: 'control'; action: 'approve' | 'deny' | 'otp' | 'expire'; code: CodeRef;
    body: string | undefined }
  | { kind: 'raw'; method: string; path: string; query: string; headers: Record<string, string>;
    body: Uint8Array | undefined }

/** One generated request plus how far the server's clock moves before it (ms). */
interface FuzzRequest {
  step: FuzzStep
  advanceMs: number
}

const mostly = <T, U>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<U>, weight = 8) =>
  fc.oneof({ weight, arbitrary: usual }, { weight: 1, arbitrary: odd })

const anyText = fc.oneof(fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '%', '%zz', '\u0000', 'a'.repeat(300)))

const credentials: fc.Arbitrary<Credentials> = mostly(
  fc.constantFrom<Credentials>('public', 'public', 'confidential-basic', 'confidential-post'),
  fc.oneof(
    fc.constantFrom<Credentials>('wrong-secret', 'no-grant', 'none'),
    fc.record({ clientId: anyText, secret: fc.option(anyText, { nil: undefined }) }),
  ),
)

const code: fc.Arbitrary<CodeRef> = mostly(
  fc.nat({ max: REMEMBERED_CODES - 1 }).map((live) => ({ live })),
  anyText.map((forged) => ({ forged })),
  6,
)

const initiate = fc.record({
  kind: fc.constant('initiate' as const),
  server: mostly(fc.constant(0), fc.constant(1), 4),
  endpoint: mostly(fc.constant('primary-authenticate' as const), fc.constant('oob-authenticate' as const), 4),
  credentials,
  user: mostly(fc.constantFrom(...USERS), fc.tuple(anyText, anyText)),
  challengeHint: mostly(fc.constant(OOB_CHALLENGE_HINT), fc.option(anyText, { nil: undefined })),
})

const token = fc.record({
  kind: fc.constant('token' as const),
  code,
  /** Mostly the client that started the transaction, at the server that issued the code. */
  asIssuer: mostly(fc.constant(true), fc.constant(false), 4),
  server: mostly(fc.constant(0), fc.constant(1), 4),
  credentials,
  grantType: mostly(fc.constant(OOB_GRANT_TYPE), fc.option(anyText, { nil: undefined })),
  scope: mostly(fc.constantFrom(SCOPE, 'openid'), fc.option(anyText, { nil: undefined })),
  bindingCode: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: fc.constant('otp') },
    { weight: 1, arbitrary: fc.stringMatching(/^[0-9]{6}$/) },
    { weight: 1, arbitrary: anyText },
  ),
})

const control = fc.record({
  kind: fc.constant('control' as const),
  action: fc.constantFrom('approve' as const, 'approve' as const, 'approve' as const, 'otp' as const,
    'otp' as const, 'otp' as const, 'deny' as const, 'expire' as const),
  code,
  body: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: anyText },
    { weight: 1, arbitrary: fc.constantFrom('{"binding_code":"12"}', '{"binding_code":[]}', '[]', 'null') }),
})

const PATHS = [
  ...SERVERS.flatMap((base) => ['oob-authenticate', 'primary-authenticate', 'token', 'keys']
    .map((endpoint) => `${base}/${endpoint}`)),
  '/.well-known/openid-configuration', '/oauth2/default/.well-known/openid-configuration',
  '/control/transactions/x/approve', '/control/transactions//otp', '/control/transactions/%ff/deny',
  '/nowhere', '/oauth2/v1/token/', '//oauth2/v1/token',
]
const CONTENT_TYPES = [
  FORM, `${FORM}; charset=UTF-8`, `${FORM}; charset=latin1`, `${FORM}; charset=`, 'application/json',
  'text/plain', 'multipart/form-data; boundary=x', '', ';;;', `${FORM};charset="utf-8"`,
]
const HEADER_VALUE = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
})

const raw = fc.record({
  kind: fc.constant('raw' as const),
  method: fc.constantFrom('POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
  path: fc.oneof(fc.constantFrom(...PATHS), HEADER_VALUE.map((p) => `/${encodeURI(p)}`)),
  query: fc.oneof({ weight: 4, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom('?client_secret=x', '?a=%', '?client_id=x&scope=openid') }),
  headers: fc.record({
    'content-type': fc.constantFrom(...CONTENT_TYPES),
    authorization: fc.constantFrom('', 'Basic', 'Basic !!!', 'Basic b29iLWNvbmZpZGVudGlhbC1jbGllbnQ6',
      'Bearer x', basicAuthorization(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET)),
  }, { requiredKeys: [] }),
  body: fc.option(fc.oneof(
    fc.uint8Array({ maxLength: 400 }),
    fc.string({ maxLength: 200 }).map((s) => new TextEncoder().encode(s)),
    fc.constantFrom('a=1&a=2', 'grant_type=&oob_code=', '%', '=&=&', 'client_id=oob-public-client&%E0%A4%A=1',
      `client_id=${'x'.repeat(17_000)}`, '{"client_id":"oob-public-client"}')
      .map((s) => new TextEncoder().encode(s)),
  ), { nil: undefined }),
})

/** A step and a clock move: mostly a tenth of a second, sometimes past `interval`, rarely past expiry. */
const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  step: fc.oneof({ weight: 4, arbitrary: initiate }, { weight: 5, arbitrary: token },
    { weight: 3, arbitrary: control }, { weight: 2, arbitrary: raw }),
  advanceMs: fc.oneof({ weight: 300, arbitrary: fc.constant(100) },
    { weight: 30, arbitrary: fc.integer({ min: 0, max: 7_000 }) },
    { weight: 1, arbitrary: fc.constant(400_000) }),
})

function resolveCode(ref: CodeRef, state: FuzzState): Issued | string {
  if ('forged' in ref) return ref.forged
  const { codes } = state
  return codes.length === 0 ? 'no-code-yet' : codes[codes.length - 1 - (ref.live % codes.length)]!
}

const oobCodeOf = (code: Issued | string) => (typeof code === 'string' ? code : code.oobCode)

function withCredentials(c: Credentials, form: URLSearchParams, headers: Headers): void {
  if (c === 'none') return
  if (c === 'public') form.set('client_id', PUBLIC_CLIENT)
  else if (c === 'no-grant') form.set('client_id', 'oob-no-grant-client')
  else if (c === 'confidential-basic') {
    headers.set('authorization', basicAuthorization(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET))
  }
  else if (c === 'wrong-secret') headers.set('authorization', basicAuthorization(CONFIDENTIAL_CLIENT, 'not-the-secret'))
  else if (c === 'confidential-post') {
    form.set('client_id', CONFIDENTIAL_CLIENT)
    form.set('client_secret', CONFIDENTIAL_SECRET)
  } else {
    form.set('client_id', c.clientId)
    if (c.secret !== undefined) form.set('client_secret', c.secret)
  }
}

/** The `Request` a step stands for, given what the traffic has learnt so far. */
function toRequest(step: FuzzStep, state: FuzzState): Request {
  if (step.kind === 'raw') {
    const hasBody = step.body !== undefined && step.method !== 'GET' && step.method !== 'HEAD'
    return new Request(`${ORIGIN}${step.path}${step.query}`, {
      method: step.method,
      headers: step.headers,
      ...(hasBody && { body: step.body }),
    })
  }
  if (step.kind === 'control') {
    const oobCode = oobCodeOf(resolveCode(step.code, state))
    const url = `${ORIGIN}/control/transactions/${encodeURIComponent(oobCode)}/${step.action}`
    const method = step.action === 'otp' ? 'GET' : 'POST'
    const body = method === 'POST' ? step.body : undefined
    return new Request(url, { method, ...(body !== undefined && { body }) })
  }
  const form = new URLSearchParams()
  const headers = new Headers({ 'content-type': FORM })
  if (step.kind === 'initiate') {
    withCredentials(step.credentials, form, headers)
    form.set('login_hint', step.user[0])
    form.set('channel_hint', step.user[1])
    if (step.challengeHint !== undefined) form.set('challenge_hint', step.challengeHint)
    const url = `${ORIGIN}${SERVERS[step.server]}/${step.endpoint}`
    return new Request(url, { method: 'POST', headers, body: form })
  }
  const code = resolveCode(step.code, state)
  const issuer = step.asIssuer && typeof code !== 'string' ? code : step
  withCredentials(issuer.credentials, form, headers)
  const oobCode = oobCodeOf(code)
  if (step.grantType !== undefined) form.set('grant_type', step.grantType)
  form.set('oob_code', oobCode)
  if (step.scope !== undefined) form.set('scope', step.scope)
  const bindingCode = step.bindingCode === 'otp' ? state.otps.get(oobCode) : step.bindingCode
  if (bindingCode !== undefined) form.set('binding_code', bindingCode)
  return new Request(`${ORIGIN}${SERVERS[issuer.server]}/token`, { method: 'POST', headers, body: form })
}

/** Remembers the codes and OTPs an answer reveals; says whether it issued tokens. */
async function learn(step: FuzzStep, request: Request, response: Response, state: FuzzState):
  Promise<boolean> {
  if (response.status !== 200 || step.kind === 'raw' || (step.kind === 'control' && step.action !== 'otp')) {
    await response.body?.cancel()
    return false
  }
  const body = await response.json() as { oob_code?: string; otp?: string; access_token?: string }
  if (step.kind === 'initiate' && body.oob_code !== undefined) {
    state.codes.push({ oobCode: body.oob_code, server: step.server, credentials: step.credentials })
    if (state.codes.length > REMEMBERED_CODES) state.otps.delete(state.codes.shift()!.oobCode)
  } else if (body.otp !== undefined) {
    state.otps.set(decodeURIComponent(new URL(request.url).pathname.split('/')[3]!), body.otp)
  }
  return body.access_token !== undefined
}

export interface FuzzStats {
  requests: number
  /** Responses by status code. */
  statuses: Record<number, number>
  /** Token responses: the approvals and OTPs the traffic got right. */
  tokens: number
  /** The first few 5xx, as `METHOD path → status: body`. */
  serverErrors: string[]
}

/** A clock to inject into the server; the traffic moves it. */
export function fuzzClock(start = Date.UTC(2026, 0, 1)) {
  let now = start
  return { now: () => now, advance: (ms: number) => void (now += ms) }
}

/**
 * Sends `count` generated requests to `server` one after another, moving `clock` before each, and counts the
 * answers rather than failing on the first bad one: a replay could not shrink it, since each request depends
 * on the server state the earlier ones left. fast-check is the generator; `seed` makes the traffic
 * repeatable. `onProgress` is called after every request with the number sent so far.
 */
export async function fuzz(server: ReferenceServer, clock: ReturnType<typeof fuzzClock>, options: {
  count: number
  seed: number
  onProgress?: (sent: number) => void | Promise<void>
}): Promise<FuzzStats> {
  const state: FuzzState = { codes: [], otps: new Map() }
  const stats: FuzzStats = { requests: 0, statuses: {}, tokens: 0, serverErrors: [] }
  await fc.assert(fc.asyncProperty(fuzzRequest, async ({ step, advanceMs }) => {
    clock.advance(advanceMs)
    const request = toRequest(step, state)
    const response = await server.fetch(request)
    stats.requests++
    stats.statuses[response.status] = (stats.statuses[response.status] ?? 0) + 1
    if (response.status >= 500 && stats.serverErrors.length < 5) {
      const path = new URL(request.url).pathname
      const body = (await response.text()).slice(0, 200)
      stats.serverErrors.push(`${request.method} ${path} → ${response.status}: ${body}`)
    } else if (await learn(step, request, response, state)) {
      stats.tokens++
    }
    await options.onProgress?.(stats.requests)
  }), { numRuns: options.count, seed: options.seed })
  return stats
}

/**
 * The heap in use once garbage is gone: what a server keeps, not what it has yet to free. Two full
 * collections with a turn of the event loop between them, because Node frees some of a request's objects
 * (the AbortSignals a copied Request depends on) from FinalizationRegistry callbacks, which run only after a
 * collection.
 */
export async function settledHeap(): Promise<number> {
  // The standard way to reach V8's gc() without starting node with --expose-gc.
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  gc()
  await setImmediate()
  gc()
  return process.memoryUsage().heapUsed
}
