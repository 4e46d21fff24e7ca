/**
 * The scripted authorization server of `client-check`, one per scenario run on a loopback port. It answers as
 * the scenario scripts whatever the client sends — it judges, it does not enforce, so one defect shows as one
 * failed verdict — and records every request with its arrival time and the time its answer left, in
 * milliseconds since the server started (`performance.now()`).
 * @module
 */
import { createHash, randomBytes } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { OobConformanceError } from '../errors.js'
import { isChannel, parseUrlEncoded, type BindingMethod, type OktaErrorBody } from '../protocol/index.js'
import { defaultBehaviour, type TerminalKind } from '../reference-server/index.js'
import { jwks, providerMetadata } from '../reference-server/discovery.js'
import { RATE_LIMITED } from '../reference-server/oauth.js'
import { invalidRequest, jsonResponse, type OAuthErrorSpec } from '../reference-server/responses.js'
import { createSigningKey, issueTokens, type SigningKey } from '../reference-server/tokens.js'
import type { Profile } from '../profile.js'
import type { Exchange } from '../results/model.js'
import type { PollAnswer, Scenario } from './scenarios.js'
import type { RunCertificates } from './tls.js'

export type Endpoint = 'primary-authenticate' | 'oob-authenticate' | 'token' | 'userinfo'

/** The mock is an Okta org: issuer at the origin, endpoints under `/oauth2/v1` (protocol.md §1.1). */
const ORG_SERVER = { issuerPath: '', basePath: '/oauth2/v1' }

const ENDPOINT_PATHS: Readonly<Record<string, Endpoint>> = {
  [`${ORG_SERVER.basePath}/primary-authenticate`]: 'primary-authenticate',
  [`${ORG_SERVER.basePath}/oob-authenticate`]: 'oob-authenticate',
  [`${ORG_SERVER.basePath}/token`]: 'token',
  // Where a client shows that it used the access token (OpenID Connect Core §5.3; Okta's path).
  [`${ORG_SERVER.basePath}/userinfo`]: 'userinfo',
}

/** What a client may GET to verify an ID token: OpenID Provider metadata and the keys it names. */
const DISCOVERY_PATHS = {
  metadata: `${ORG_SERVER.issuerPath}/.well-known/openid-configuration`,
  keys: `${ORG_SERVER.basePath}/keys`,
} as const

/** Granted when a token request names no scope (Okta requires one; RFC 8628 servers use a default). */
const DEFAULT_SCOPES = ['openid', 'profile']

/** What the server answered. */
export interface Answered {
  /** A scripted answer's kind, or what the server decided by itself. */
  kind: Exclude<PollAnswer['kind'], 'slow'> | 'initiation' | 'consumed' | 'code-required' | 'unknown-code' |
    'bad-request' | 'not-found' | 'unsupported-channel' | 'metadata' | 'userinfo' | 'invalid-token'
  /** Absent when the connection was reset. */
  status?: number
  error?: string
  /** The first answer that ends the code's flow: tokens or a terminal error. */
  final: boolean
  /** 429: the earliest time its headers allow the next request (ms since the server started). */
  retryAt?: number
  /** A slow answer: how long the server held it back (ms). */
  heldMs?: number
  /** Set when the client closed the connection before the answer was ready (ms since the server started). */
  abandonedAt?: number
}

export interface RecordedRequest {
  /** ms since the server started, when the request's headers had arrived. */
  arrivedAt: number
  /**
   * The earliest the request may have arrived. A busy or starved event loop (garbage collection, a loaded
   * machine, many in-process clients) stamps requests late, by as much as it lagged; the first request on a
   * connection may have been sent as early as the connection was accepted (a TLS handshake came between);
   * timing verdicts give the client the benefit of that doubt.
   */
  earliestArrival: number
  /**
   * How long the client's processes waited for a CPU before this request arrived — since its connection was
   * accepted for the first request on a connection, since the previous request otherwise (ms): about the most
   * this request may have been written later than the client meant to send it.
   */
  clientStallMs: number
  /** ms since the server started, when the answer was handed to the socket or the connection reset. */
  answeredAt: number
  method: string
  /** Path and query, as sent. */
  url: string
  endpoint?: Endpoint
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>
  body: string
  validUtf8: boolean
  /** Decoded name/value pairs in order, repeats kept; undefined when the body is not a well-formed form. */
  params?: Array<[string, string]>
  /** The code the request concerns: issued by this initiation, or sent by this token request. */
  oobCode?: string
  answer: Answered
  exchange: Exchange
}

export interface MockTransaction {
  oobCode: string
  bindingMethod: BindingMethod
  /** The login_hint the initiation named: the ID token's `preferred_username`. */
  loginHint?: string
  /** ms since the server started, when the initiation answer left. */
  issuedAt: number
  expiresAt: number
  /** Token requests answered from the script so far. */
  answered: number
  /** Once the flow ended: when, and the answer any later request gets. */
  finished?: { at: number; reply: Reply }
  /** The access token issued for the code, and its token_type: what a client that uses the token presents. */
  tokens?: { accessToken: string; tokenType: string }
}

export interface MockServerOptions {
  /** The client the scenario runs as: the ID token's audience. */
  clientId?: string
  /** Serve HTTPS with this certificate (see `createRunCertificates`); default plain HTTP. */
  tls?: Pick<RunCertificates, 'cert' | 'key'>
  /** Signs the ID tokens; default a key of this server's own. */
  signingKey?: SigningKey
  /** The client's run-queue wait so far, in ms (see `RunningClient.runQueueWaitMs`); default none. */
  clientRunQueueWaitMs?: () => number
}

export interface MockServer {
  /** The base URL the client is given (`OOB_BASE_URL`): the org's origin, `http://` or `https://`. */
  url: string
  /** The issuer its discovery document and ID tokens name (`OOB_ISSUER`). */
  issuer: string
  /** `127.0.0.1:PORT` (`OOB_HOST`), for clients that build `https://HOST/…` themselves. */
  host: string
  requests: RecordedRequest[]
  transactions: MockTransaction[]
  /** Resolves (ms since start) when the first code's flow ended: final answer sent, or the code expired. */
  final: Promise<number>
  /** Values to redact from reports: the tokens (access, ID, refresh) the server issued. */
  secrets: string[]
  close(): Promise<void>
}

interface JsonReply {
  status: number
  body: unknown
  headers?: Record<string, string>
  answered: Answered
  /** Held back this long before it is written (a slow answer). */
  delayMs?: number
}
/** Tokens to issue when the answer leaves: signing is asynchronous, scripting is not. */
interface TokenReply {
  issue: { tokenType?: string }
  answered: Answered
  delayMs?: number
}
type Reply = JsonReply | TokenReply | { reset: true; answered: Answered }

const MAX_BODY_BYTES = 64 * 1024

/**
 * A heartbeat on the event loop bounds how late a request can be stamped: between two beats the loop went
 * through an I/O phase, which accepts and reads whatever had arrived. Sending a request takes a client a few
 * loop turns too (in-process clients share this loop), so the credit reaches back `BEATS` beats, a few
 * milliseconds on an idle loop and as long as the loop lagged on a busy one.
 */
const HEARTBEAT_MS = 2
const BEATS = 8
const beats: number[] = []
let heartbeat: NodeJS.Timeout | undefined
let openServers = 0
let lagged = 0

function onBeat(): void {
  const now = performance.now()
  const last = beats.at(-1)
  if (last !== undefined) lagged += Math.max(0, now - last - 2 * HEARTBEAT_MS)
  beats.push(now)
  if (beats.length > BEATS) beats.shift()
}

/** Milliseconds the event loop has run late so far, while scripted servers were open: busy-machine time. */
export function loopLag(): number {
  return lagged
}

function heartbeats(open: 1 | -1): void {
  openServers += open
  if (openServers > 0 && heartbeat === undefined) {
    beats.splice(0, beats.length, performance.now())
    heartbeat = setInterval(onBeat, HEARTBEAT_MS).unref()
  } else if (openServers === 0 && heartbeat !== undefined) {
    clearInterval(heartbeat)
    heartbeat = undefined
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Members no client knows, added to every JSON answer of the `unknown-members` scenario. */
const EXTRA_MEMBERS = {
  initiation: {
    supported_challenge_types: ['urn:okta:params:oauth:grant-type:otp'], x_vendor: { flags: [1, null] },
  },
  error: { x_vendor: { retry: true }, error_codes: [70016] },
  tokens: {
    device_secret: 'ds-not-for-you', issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    x_vendor: { region: 'eu' },
  },
}

const PENDING = 'No user response received on the out-of-band authenticator yet. Continue polling.'

/** The error codes that keep a flow going (RFC 8628 §3.5): any other one ends it, whatever its status. */
const NOT_FINAL: readonly string[] = ['authorization_pending', 'slow_down']

/** An HTTP date (RFC 9110 §5.6.7, IMF-fixdate) for Retry-After. */
const httpDate = (epochMs: number) => new Date(epochMs).toUTCString()

function oktaError(errorCode: string, errorSummary: string): OktaErrorBody {
  return { errorCode, errorSummary, errorLink: errorCode, errorId: `oae${randomBytes(8).toString('hex')}`,
    errorCauses: [] }
}

/** Opaque like a real code, with every character CIBA §7.3 allows, so a client that re-encodes it shows. */
function newOobCode(): string {
  return `${randomBytes(24).toString('base64url')}.-_${randomBytes(6).toString('base64url')}`
}

/** An Okta-style user id for a login hint: stable, so the same user gets the same `sub` in every scenario. */
function subjectOf(loginHint: string): string {
  return `00u${createHash('sha256').update(loginHint).digest('base64url').slice(0, 17)}`
}

/** The initiation error for a channel_hint the scenario's user has no authenticator for (spec/openapi.yaml). */
function unsupportedChannel(channelHint: string, scenario: Scenario, profile: Profile): OAuthErrorSpec {
  // A channel the flow knows: the user is not enrolled in it (Okta 403 access_denied); anything else is not a
  // channel at all (400 invalid_request).
  if (!isChannel(channelHint)) return invalidRequest(`'${channelHint}' isn't supported as a channel_hint.`)
  const user = { loginHint: scenario.loginHint, channel: scenario.channel, bindingMethod: scenario.start.bindingMethod }
  return defaultBehaviour.refusesUser(user, channelHint, profile)!
}

export async function startMockServer(scenario: Scenario, profile: Profile, options: MockServerOptions = {}):
  Promise<MockServer> {
  const signingKey = options.signingKey ?? await createSigningKey()
  const scheme = options.tls === undefined ? 'http' : 'https'
  // Known once the server listens, before any request can arrive.
  let host = ''
  let base = ''
  const origin = performance.now()
  const wallOrigin = Date.now()
  const now = () => performance.now() - origin
  const requests: RecordedRequest[] = []
  const transactions: MockTransaction[] = []
  // The client's run-queue wait when the previous request arrived.
  let waitedBefore = 0
  const waitedNow = () => options.clientRunQueueWaitMs?.() ?? 0
  const secrets: string[] = []
  const timers = new Set<NodeJS.Timeout>()
  const closing = new AbortController()
  let endFlow!: (at: number) => void
  const final = new Promise<number>((resolve) => { endFlow = resolve })

  const extra = (kind: keyof typeof EXTRA_MEMBERS) => (scenario.extraMembers ? EXTRA_MEMBERS[kind] : {})
  const finish = (tx: MockTransaction, reply: Reply, at: number) => {
    tx.finished = { at, reply }
    endFlow(at)
  }
  const terminal = (kind: TerminalKind, answered: Answered['kind']): JsonReply => {
    const spec = defaultBehaviour.terminalError(kind, profile)
    return {
      status: spec.status,
      body: { error: spec.error, error_description: spec.description, ...extra('error') },
      answered: { kind: answered, status: spec.status, error: spec.error, final: true },
    }
  }
  const oauthError = (status: number, error: string, description: string, kind: Answered['kind'],
    final: boolean): JsonReply => ({
    status, body: { error, error_description: description, ...extra('error') },
    answered: { kind, status, error, final },
  })

  function initiate(params: Map<string, string> | undefined): { reply: Reply; oobCode?: string } {
    const channelHint = params?.get('channel_hint')
    // A missing channel_hint is judged (OOB-C-INIT-HINTS), not enforced; another channel than the scenario's
    // user has gets the answer a real server gives, never the scenario's channel instead.
    if (channelHint !== undefined && channelHint !== scenario.channel) {
      const spec = unsupportedChannel(channelHint, scenario, profile)
      return { reply: oauthError(spec.status, spec.error, spec.description!, 'unsupported-channel', false) }
    }
    const { expiresIn, interval, bindingMethod, bindingCode } = scenario.start
    const oobCode = newOobCode()
    const issuedAt = now()
    const expiresAt = issuedAt + expiresIn * 1000
    const loginHint = params?.get('login_hint')
    const tx: MockTransaction = { oobCode, bindingMethod, ...(loginHint !== undefined && { loginHint }), issuedAt,
      expiresAt, answered: 0 }
    transactions.push(tx)
    // A number challenge without the number ends the flow with this answer: the client must give up at once.
    if (bindingMethod === 'transfer' && bindingCode === undefined) endFlow(issuedAt)
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (tx.finished === undefined) finish(tx, terminal('expired', 'expired'), expiresAt)
    }, expiresIn * 1000)
    timers.add(timer)
    const body = {
      oob_code: oobCode, expires_in: expiresIn, ...(interval !== undefined && { interval }),
      channel: scenario.channel, binding_method: bindingMethod,
      ...(bindingCode !== undefined && { binding_code: bindingCode }),
      ...extra('initiation'),
    }
    const answered: Answered = { kind: 'initiation', status: 200, final: false }
    return { oobCode, reply: { status: 200, body, answered } }
  }

  function scripted(answer: PollAnswer, at: number, tx: MockTransaction): Reply {
    switch (answer.kind) {
      case 'slow': {
        const reply = scripted(answer.answer, at, tx)
        const delayMs = answer.seconds * 1000
        return 'reset' in reply ? reply : { ...reply, delayMs, answered: { ...reply.answered, heldMs: delayMs } }
      }
      case 'pending':
        return oauthError(400, 'authorization_pending', PENDING, 'pending', false)
      case 'slow_down':
        return oauthError(400, 'slow_down', 'Polling too fast: add 5 s to the interval.', 'slow_down', false)
      case 'denied':
      case 'expired':
        return terminal(answer.kind, answer.kind)
      case 'error':
        return oauthError(answer.status, answer.error, answer.description, 'error',
          !NOT_FINAL.includes(answer.error))
      case 'tokens':
        return { issue: { ...(answer.tokenType !== undefined && { tokenType: answer.tokenType }) },
          answered: { kind: 'tokens', status: 200, final: true } }
      case 'rate-limited':
        return rateLimited(answer, at)
      case 'server-error': {
        const body = answer.shape === 'okta'
          ? oktaError('E0000009', 'Internal Server Error')
          : { error: 'temporarily_unavailable', error_description: 'Overloaded. Try again later.' }
        const answered: Answered = { kind: 'server-error', status: answer.status, final: false }
        return { status: answer.status, body, answered }
      }
      case 'reset':
        return { reset: true, answered: { kind: 'reset', final: false } }
    }
  }

  function rateLimited(answer: Extract<PollAnswer, { kind: 'rate-limited' }>, at: number): Reply {
    const wall = Date.now()
    const resetEpoch = Math.ceil(wall / 1000) + answer.seconds
    const headers: Record<string, string> = {}
    const named: number[] = []
    if (answer.retryAfter === 'date') {
      // Only the date: a client that reads Retry-After as a number of seconds, or reads X-Rate-Limit-Reset
      // alone, cannot find the time in it.
      headers['Retry-After'] = httpDate(resetEpoch * 1000)
      named.push(at + resetEpoch * 1000 - wall)
    } else if (answer.shape === 'okta' || profile === 'okta') {
      Object.assign(headers, { 'X-Rate-Limit-Limit': '10', 'X-Rate-Limit-Remaining': '0',
        'X-Rate-Limit-Reset': String(resetEpoch) })
      named.push(at + resetEpoch * 1000 - wall)
    }
    if (answer.shape === 'oauth' && answer.retryAfter !== 'date') {
      headers['Retry-After'] = String(answer.seconds)
      named.push(at + answer.seconds * 1000)
    }
    const body = answer.shape === 'okta'
      ? oktaError('E0000047', 'API call exceeded rate limit due to too many requests.')
      : { error: RATE_LIMITED.error, error_description: RATE_LIMITED.description, ...extra('error') }
    return { status: 429, headers, body,
      answered: { kind: 'rate-limited', status: 429, final: false, retryAt: Math.min(...named) } }
  }

  function redeem(params: Map<string, string>, at: number): { reply: Reply; oobCode?: string } {
    const oobCode = params.get('oob_code')
    if (oobCode === undefined) {
      return { reply: oauthError(400, 'invalid_request', 'The oob_code is required.', 'bad-request', false) }
    }
    const tx = transactions.find((t) => t.oobCode === oobCode)
    if (tx === undefined) {
      const reply = oauthError(400, 'invalid_grant', 'The oob_code is invalid.', 'unknown-code', false)
      return { oobCode, reply }
    }
    if (tx.finished !== undefined) {
      const { reply } = tx.finished
      // After tokens the code is used up; after an error the same error stands.
      const again = reply.answered.kind === 'tokens' ? terminal('consumed', 'consumed') : reply
      return { oobCode, reply: { ...again, answered: { ...again.answered, final: false } } }
    }
    let reply: Reply
    if (at >= tx.expiresAt) {
      reply = terminal('expired', 'expired')
    } else if (tx.bindingMethod === 'prompt' && !params.has('binding_code')) {
      // The client was told not to poll: answered like a wrong code, as Okta does, never
      // authorization_pending.
      reply = oauthError(400, 'invalid_grant', "The 'otp' provided is either empty or incorrect.",
        'code-required', true)
    } else {
      reply = scripted(scenario.polls[Math.min(tx.answered, scenario.polls.length - 1)]!, at, tx)
      tx.answered++
    }
    if (reply.answered.final) finish(tx, reply, at)
    return { oobCode, reply }
  }

  /** Tokens as a real server issues them: an ID token for `openid`, a refresh token for `offline_access`. */
  async function issue(reply: TokenReply, params: Array<[string, string]>, tx: MockTransaction | undefined):
    Promise<JsonReply> {
    const requested = params.find(([name]) => name === 'scope')?.[1].split(' ').filter(Boolean) ?? []
    const scopes = requested.length > 0 ? requested : DEFAULT_SCOPES
    const username = tx?.loginHint ?? scenario.loginHint
    const tokens = await issueTokens(signingKey, {
      issuer: base, audience: base, clientId: options.clientId ?? 'oob-client', subject: subjectOf(username),
      username, scopes, channel: scenario.channel, now: Date.now(),
    })
    secrets.push(...[tokens.access_token, tokens.id_token, tokens.refresh_token].filter((t) => t !== undefined))
    const tokenType = reply.issue.tokenType ?? tokens.token_type
    if (tx !== undefined) tx.tokens = { accessToken: tokens.access_token, tokenType }
    const body = { ...tokens, token_type: tokenType, ...extra('tokens') }
    return { status: 200, body, answered: reply.answered,
      ...(reply.delayMs !== undefined && { delayMs: reply.delayMs }) }
  }

  /** A request that uses an access token: 200 with the user's claims for a token this server issued. */
  function userinfo(authorization: string | undefined): Reply {
    const presented = authorization?.split(' ').at(-1)
    const tx = transactions.find((t) => t.tokens !== undefined && t.tokens.accessToken === presented)
    if (tx === undefined) {
      // RFC 6750 §3.1
      return { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        body: { error: 'invalid_token', error_description: 'The access token is invalid.' },
        answered: { kind: 'invalid-token', status: 401, error: 'invalid_token', final: false } }
    }
    const username = tx.loginHint ?? scenario.loginHint
    return { status: 200, body: { sub: subjectOf(username), preferred_username: username },
      answered: { kind: 'userinfo', status: 200, final: false } }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = now()
    // The first request on a connection may have been sent before the connection was accepted: its headers
    // came after the handshake (under --tls, easily 100s of ms on a loaded machine), later polls' did not.
    const { at: opened, waited: waitedAtOpen } = openedAt.get(req.socket) ?? {}
    openedAt.delete(req.socket)
    const earliestArrival = Math.min(arrivedAt, beats[0]! - origin, opened ?? Infinity)
    // The first request on a connection is credited what the client waited since the connection was
    // accepted (its handshake and write), not its start-up before it; later ones since the previous request.
    const waited = waitedNow()
    const clientStallMs = Math.max(0, waited - (waitedAtOpen ?? waitedBefore))
    waitedBefore = Math.max(waitedBefore, waited)
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    }
    const raw = Buffer.concat(chunks)
    let body: string
    let validUtf8 = true
    try {
      body = utf8.decode(raw)
    } catch {
      validUtf8 = false
      body = raw.toString('latin1')
    }
    const url = req.url ?? '/'
    const path = url.split('?')[0]!
    const endpoint = ENDPOINT_PATHS[path]
    const params = validUtf8 ? parseUrlEncoded(body) : undefined
    const at = now()
    let outcome: { reply: Reply; oobCode?: string }
    if (req.method === 'GET' && (path === DISCOVERY_PATHS.metadata || path === DISCOVERY_PATHS.keys)) {
      const document = path === DISCOVERY_PATHS.keys ? jwks({ key: signingKey })
        : { ...providerMetadata(base, ORG_SERVER), userinfo_endpoint: `${base}${ORG_SERVER.basePath}/userinfo` }
      outcome = { reply: { status: 200, body: document, answered: { kind: 'metadata', status: 200, final: false } } }
    } else if (endpoint === 'userinfo') {
      outcome = { reply: userinfo(req.headers.authorization) }
    } else if (endpoint === undefined || req.method !== 'POST') {
      outcome = { reply: oauthError(404, 'not_found', 'No such endpoint here.', 'not-found', false) }
    } else if (endpoint !== 'token') {
      outcome = initiate(params === undefined ? undefined : new Map(params))
    } else if (params === undefined) {
      outcome = { reply: oauthError(400, 'invalid_request', 'The body is not a form.', 'bad-request', false) }
    } else {
      outcome = redeem(new Map(params), at)
    }

    const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) =>
      [name, Array.isArray(value) ? value.join(', ') : value ?? '']))
    const exchange: Exchange = {
      ...(endpoint !== undefined &&
        { operation: endpoint === 'token' || endpoint === 'userinfo' ? endpoint : 'initiation' }),
      request: { method: req.method ?? 'GET', url: `${scheme}://${req.headers.host ?? 'localhost'}${url}`, headers,
        ...(body !== '' && { body }) },
      startedAt: new Date(wallOrigin + arrivedAt).toISOString(),
      durationMs: 0,
    }
    const record: RecordedRequest = {
      arrivedAt, earliestArrival, clientStallMs, answeredAt: at, method: req.method ?? 'GET', url,
      ...(endpoint !== undefined && { endpoint }),
      headers, body, validUtf8, ...(params !== undefined && { params }),
      ...(outcome.oobCode !== undefined && { oobCode: outcome.oobCode }),
      answer: outcome.reply.answered, exchange,
    }
    requests.push(record)

    const reply = 'issue' in outcome.reply
      ? await issue(outcome.reply, params ?? [], transactions.find((t) => t.oobCode === outcome.oobCode))
      : outcome.reply
    if ('reset' in reply) {
      record.answeredAt = now()
      exchange.error = 'connection reset by the scripted server'
      exchange.durationMs = Math.round(record.answeredAt - arrivedAt)
      req.socket.destroy()
      return
    }
    if (reply.delayMs !== undefined) {
      // Bounded by the scenario; the client may give up meanwhile, which the record keeps.
      res.once('close', () => {
        if (!res.writableFinished) reply.answered.abandonedAt ??= now()
      })
      await delay(reply.delayMs, undefined, { signal: closing.signal }).catch(() => undefined)
      if (closing.signal.aborted) return
      if (reply.answered.abandonedAt !== undefined) {
        record.answeredAt = reply.answered.abandonedAt
        exchange.error = `the client closed the connection ${
          ((reply.answered.abandonedAt - arrivedAt) / 1000).toFixed(3)} s after sending, before the answer`
        exchange.durationMs = Math.round(record.answeredAt - arrivedAt)
        return
      }
    }
    const response = jsonResponse(reply.status, reply.body, reply.headers)
    const text = await response.text()
    const responseHeaders = Object.fromEntries(response.headers)
    exchange.response = { status: reply.status, headers: responseHeaders, body: text }
    record.answeredAt = now()
    exchange.durationMs = Math.round(record.answeredAt - arrivedAt)
    res.writeHead(reply.status, responseHeaders)
    res.end(text)
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => req.socket.destroy())
  }
  const server: Server = options.tls === undefined
    ? createServer(listener)
    : createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener)
  // When each connection was accepted. A TLS socket exists only once its handshake is done: the TCP accepts
  // wait in order for their handshakes to end, well or not.
  // With it, the client's run-queue wait then.
  const openedAt = new WeakMap<object, { at: number; waited: number }>()
  const accepted: { at: number; waited: number }[] = []
  const acceptedNow = () => ({ at: now(), waited: waitedNow() })
  server.on('connection', (socket: object) => {
    if (options.tls === undefined) openedAt.set(socket, acceptedNow())
    else accepted.push(acceptedNow())
  })
  server.on('secureConnection', (socket: object) => openedAt.set(socket, accepted.shift() ?? acceptedNow()))
  server.on('tlsClientError', () => accepted.shift())
  // Idle connections stay open until the server closes: on a busy machine a client's next request (the
  // userinfo call right after the tokens, say) could otherwise meet a keep-alive close and fail for nothing
  // the client did.
  server.keepAliveTimeout = 0
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) => reject(new OobConformanceError('ERR_SERVER_LISTEN',
      `client-check: the scripted server cannot listen on 127.0.0.1: ${cause.message}`, { cause })))
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  host = `127.0.0.1:${port}`
  base = `${scheme}://${host}`
  heartbeats(1)

  return {
    url: base,
    issuer: base + ORG_SERVER.issuerPath,
    host,
    requests,
    transactions,
    final,
    secrets,
    close: () => new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer)
      closing.abort()
      heartbeats(-1)
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  }
}
