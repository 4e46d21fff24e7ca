/**
 * The one HTTP client every suite uses: a bounded wait on every exchange, a response size cap, redirects never
 * followed, a transcript entry for every exchange, and polite handling of 429 (DESIGN.md: a 429 is never by itself
 * a failure — wait as told, within bounds, and retry).
 * @module
 */
import http from 'node:http'
import https from 'node:https'
import { setTimeout as sleep } from 'node:timers/promises'
import { OobConformanceError } from '../errors.js'
import { packageVersion } from '../package-root.js'
import type { Exchange } from './exchange.js'
import type { RateLimitPolicy } from './rate-limit.js'
import type { Throttle } from './throttle.js'

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  url: string
  headers?: Record<string, string>
  body?: string
  /** What the request is for (an operation id of the spec, `control`, …); recorded on the exchange. */
  operation?: string
  /**
   * Default true: on 429, or a 503 (RFC 9110 §15.6.4: temporary), wait (Retry-After / X-Rate-Limit-Reset, at
   * most `max429WaitMs`) and retry; the answer after the last retry is returned as it is.
   */
  retryOn429?: boolean
}

export interface HttpResponse {
  status: number
  /** Lower-case header names. */
  headers: Record<string, string>
  text: string
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown
  exchange: Exchange
}

export interface HttpClientOptions {
  timeoutMs: number
  maxResponseBytes: number
  throttle?: Throttle
  /** The run's one 429 policy: a 429 pauses every request of the run until the server's `Retry-After`. */
  rateLimit?: RateLimitPolicy
  /** Aborts every exchange of this client (the check's timeout, Ctrl-C). */
  signal?: AbortSignal
  /** Called with every exchange, including failed ones and 429s that were retried. */
  onExchange?: (exchange: Exchange) => void
  max429Retries?: number
  max429WaitMs?: number
}

const DEFAULT_429_RETRIES = 4
/** Answers that say "not now": the request is sent again once the wait they ask for is over. */
const TOLD_TO_WAIT = [429, 503]
const DEFAULT_429_WAIT_MS = 30_000

export class HttpClient {
  constructor(readonly options: HttpClientOptions) {}

  async send(request: HttpRequest): Promise<HttpResponse> {
    const retries = request.retryOn429 === false ? 0 : (this.options.max429Retries ?? DEFAULT_429_RETRIES)
    const { rateLimit, signal } = this.options
    for (let attempt = 0; ; attempt++) {
      await rateLimit?.ready(signal)
      const response = await this.once(request)
      if (!TOLD_TO_WAIT.includes(response.status) || attempt >= retries) return response
      const delay = retryDelayMs(response.headers, Date.now(), this.options.max429WaitMs ?? DEFAULT_429_WAIT_MS)
      if (rateLimit) rateLimit.pause(delay)
      else await sleep(delay, undefined, { signal })
    }
  }

  private async once(request: HttpRequest): Promise<HttpResponse> {
    await this.options.throttle?.take()
    const method = request.method ?? (request.body === undefined ? 'GET' : 'POST')
    const headers = { ...request.headers }
    const exchange: Exchange = {
      ...(request.operation !== undefined && { operation: request.operation }),
      request: { method, url: request.url, headers, ...(request.body !== undefined && { body: request.body }) },
      startedAt: new Date().toISOString(),
      durationMs: 0,
    }
    const started = performance.now()
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs)
    const signal = this.options.signal ? AbortSignal.any([controller.signal, this.options.signal]) : controller.signal
    try {
      const res = await transmit(method, request.url, headers, request.body, signal, this.options.maxResponseBytes)
      exchange.response = { status: res.status, headers: res.headers, body: res.text }
      return { ...res, json: parseJson(res.text), exchange }
    } catch (e) {
      if (this.options.signal?.aborted) {
        exchange.error = 'aborted: the check ended'
        throw new OobConformanceError('ERR_ABORTED', `${method} ${request.url}: aborted (the check ended)`, { cause: e })
      }
      const error = describeFailure(e, controller.signal.aborted, this.options.timeoutMs, method, request.url)
      exchange.error = error.message
      throw error
    } finally {
      clearTimeout(timer)
      exchange.durationMs = Math.round((performance.now() - started) * 10) / 10
      this.options.onExchange?.(exchange)
    }
  }
}

/** Kept-alive connections, shared by every client of the process: a run sends thousands of small requests. */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
}

const USER_AGENT = `oob-conformance/${packageVersion}`

interface Transmitted {
  status: number
  /** Lower-case names; a repeated header's values joined with ", ". */
  headers: Record<string, string>
  text: string
}

/**
 * One exchange over node:http(s): the request as given (plus `content-length`, and a `user-agent` unless set),
 * redirects never followed, the body read up to `maxBytes`. Node's `fetch` costs several times the CPU per
 * request, which a property check sending thousands of them feels.
 */
function transmit(method: string, url: string, headers: Record<string, string>, body: string | undefined,
  signal: AbortSignal, maxBytes: number): Promise<Transmitted> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const transport = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : undefined
    if (!transport) {
      reject(new OobConformanceError('ERR_HTTP_PROTOCOL', `${method} ${url}: only http and https URLs can be sent`))
      return
    }
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8')
    const sent: Record<string, string> = { ...headers }
    const has = (name: string) => Object.keys(sent).some((k) => k.toLowerCase() === name)
    if (!has('user-agent')) sent['user-agent'] = USER_AGENT
    if (payload !== undefined && !has('content-length')) sent['content-length'] = String(payload.length)
    const req = transport.request(target, {
      method, headers: sent, signal, agent: agents[target.protocol as 'http:' | 'https:'],
    }, (res) => {
      const declared = Number(res.headers['content-length'])
      if (declared > maxBytes) {
        reject(tooLarge(method, url, maxBytes))
        res.destroy()
        return
      }
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > maxBytes) {
          reject(tooLarge(method, url, maxBytes))
          res.destroy()
          return
        }
        chunks.push(chunk)
      })
      res.once('error', reject)
      res.once('aborted', () => reject(Object.assign(new Error('the connection closed before the body ended'),
        { code: 'ECONNRESET' })))
      res.once('end', () => {
        const responseHeaders: Record<string, string> = {}
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value
        }
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, text: Buffer.concat(chunks).toString('utf8') })
      })
    })
    req.once('error', reject)
    req.end(payload)
  })
}

function tooLarge(method: string, url: string, maxBytes: number) {
  return new OobConformanceError(
    'ERR_HTTP_BODY_TOO_LARGE',
    `${method} ${url}: response body exceeds ${Math.round(maxBytes / 1024)} KiB; an OAuth response is small`,
  )
}

/** OpenSSL's verification failures that mean "signed by a CA this process does not trust". */
const UNTRUSTED_CERTIFICATE = [
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED',
]

function describeFailure(e: unknown, timedOut: boolean, timeoutMs: number, method: string, url: string) {
  if (e instanceof OobConformanceError) return e
  if (timedOut) {
    return new OobConformanceError('ERR_HTTP_TIMEOUT', `${method} ${url}: no complete response within ${timeoutMs / 1000} s`)
  }
  // node:http puts the code on the error itself (fetch put it on the cause).
  const failure = e as { code?: string; message?: string; cause?: { code?: string; message?: string } }
  const cause = failure.code !== undefined ? failure : failure.cause
  const code = cause?.code ?? ''
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) {
    return new OobConformanceError('ERR_TARGET_UNREACHABLE', `${method} ${url}: cannot connect (${code})`, { cause: e })
  }
  if (UNTRUSTED_CERTIFICATE.includes(code)) {
    // Verification is never switched off: a test server's own CA is trusted the way Node trusts any extra CA.
    return new OobConformanceError('ERR_HTTP_PROTOCOL', `${method} ${url}: TLS certificate not trusted ` +
      `(${cause?.message}, ${code}); to trust a private or self-signed CA, ` +
      'run with NODE_EXTRA_CA_CERTS=<its PEM file>', { cause: e })
  }
  const detail = cause?.message ? `${cause.message}${code ? ` (${code})` : ''}` : code || (e as Error).message
  return new OobConformanceError('ERR_HTTP_PROTOCOL', `${method} ${url}: ${detail}`, { cause: e })
}

function parseJson(text: string): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** How long a 429 asks us to wait: `Retry-After` (seconds or HTTP date), else Okta's `X-Rate-Limit-Reset` (epoch s). */
export function retryDelayMs(headers: Record<string, string>, nowMs: number, capMs: number): number {
  const retryAfter = headers['retry-after']
  let ms: number | undefined
  if (retryAfter !== undefined) {
    ms = /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - nowMs
  } else if (headers['x-rate-limit-reset'] !== undefined) {
    ms = Number(headers['x-rate-limit-reset']) * 1000 - nowMs
  }
  if (ms === undefined || !Number.isFinite(ms)) ms = 1000
  return Math.min(Math.max(ms, 0), capMs)
}

