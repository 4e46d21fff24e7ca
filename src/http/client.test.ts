import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net'
import type { Exchange } from './exchange.js'
import { HttpClient, retryDelayMs, type HttpClientOptions } from './client.js'
import type { Throttle } from './throttle.js'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** Paths of the local test server; each test picks its own behaviour. */
const hits = new Map<string, number>()
let tooManyLeft = 0
let unavailableLeft = 0
const routes: Record<string, Handler> = {
  '/json': (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Custom': 'yes' }).end('{"ok":true}')
  },
  '/echo': (req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`${req.method} ${body}`))
  },
  '/silent': () => {},
  '/stall-body': (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.write('{"partial":')
  },
  '/declared-large': (_req, res) => {
    // Only the headers: a client that waited for the declared body would time out instead.
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '2048' })
    res.flushHeaders()
  },
  '/streamed-large': (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' })
    for (let i = 0; i < 3; i++) res.write('x'.repeat(600))
    res.end()
  },
  '/exactly-cap': (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('y'.repeat(1024))
  },
  '/redirect': (_req, res) => {
    res.writeHead(302, { Location: '/json' }).end()
  },
  '/too-many': (_req, res) => {
    if (tooManyLeft-- > 0) res.writeHead(429, { 'Retry-After': '0' }).end('{"error":"slow down"}')
    else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}')
  },
  '/unavailable-once': (_req, res) => {
    if (unavailableLeft-- > 0) res.writeHead(503, { 'Retry-After': '0' }).end('{"error":"temporarily_unavailable"}')
    else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}')
  },
  '/always-429': (_req, res) => {
    res.writeHead(429, { 'Retry-After': '3600' }).end()
  },
}

const server = createServer((req, res) => {
  const path = new URL(req.url!, 'http://x').pathname
  hits.set(path, (hits.get(path) ?? 0) + 1)
  routes[path]!(req, res)
})
/** Answers every request with a partial body, then resets the connection. */
const resetting: Server = createTcpServer((socket) => {
  socket.once('data', () => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"access')
    setImmediate(() => socket.resetAndDestroy())
  })
})
let url: string
let resetUrl: string
let closedUrl: string

const listen = (s: Server | typeof server) => new Promise<string>((resolve) =>
  s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)))

beforeAll(async () => {
  url = await listen(server)
  resetUrl = await listen(resetting)
  // A port that was free a moment ago: nothing listens there now.
  const probe = createTcpServer()
  closedUrl = await listen(probe)
  await new Promise((resolve) => probe.close(resolve))
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await new Promise((resolve) => resetting.close(resolve))
})

function client(options: Partial<HttpClientOptions> = {}) {
  const exchanges: Exchange[] = []
  const http = new HttpClient({
    timeoutMs: 5000,
    maxResponseBytes: 1024,
    max429WaitMs: 5,
    onExchange: (e) => exchanges.push(e),
    ...options,
  })
  return { http, exchanges }
}

describe('HttpClient.send', () => {
  it('returns status, lower-case headers, text and parsed JSON, and records the exchange', async () => {
    const { http, exchanges } = client()
    const headers = { Accept: 'application/json' }
    const res = await http.send({ url: `${url}/json`, operation: 'discovery', headers })
    expect(res.status).toBe(200)
    expect(res.headers['x-custom']).toBe('yes')
    expect(res.text).toBe('{"ok":true}')
    expect(res.json).toEqual({ ok: true })
    expect(exchanges).toEqual([res.exchange])
    expect(res.exchange).toMatchObject({
      operation: 'discovery',
      request: { method: 'GET', url: `${url}/json`, headers: { Accept: 'application/json' } },
      response: { status: 200, body: '{"ok":true}' },
    })
    expect(res.exchange.error).toBeUndefined()
  })

  it('sends POST when there is a body; non-JSON text leaves json undefined', async () => {
    const { http } = client()
    const res = await http.send({ url: `${url}/echo`, body: 'a=1' })
    expect(res.exchange.request).toMatchObject({ method: 'POST', body: 'a=1' })
    expect(res.text).toBe('POST a=1')
    expect(res.json).toBeUndefined()
  })

  it('a server that never answers → ERR_HTTP_TIMEOUT, recorded', { timeout: 5000 }, async () => {
    const { http, exchanges } = client({ timeoutMs: 100 })
    const message = `GET ${url}/silent: no complete response within 0.1 s`
    await expect(http.send({ url: `${url}/silent`, operation: 'token' }))
      .rejects.toMatchObject({ code: 'ERR_HTTP_TIMEOUT', message })
    expect(exchanges).toHaveLength(1)
    expect(exchanges[0]).toMatchObject({ operation: 'token', error: message })
    expect(exchanges[0]!.response).toBeUndefined()
  })

  it('a body that stops halfway also times out', { timeout: 5000 }, async () => {
    const { http } = client({ timeoutMs: 100 })
    await expect(http.send({ url: `${url}/stall-body` })).rejects.toMatchObject({ code: 'ERR_HTTP_TIMEOUT' })
  })

  it('a declared Content-Length above the cap fails at once, without reading the body', async () => {
    const { http, exchanges } = client()
    await expect(http.send({ url: `${url}/declared-large` })).rejects.toMatchObject({
      code: 'ERR_HTTP_BODY_TOO_LARGE',
      message: `GET ${url}/declared-large: response body exceeds 1 KiB; an OAuth response is small`,
    })
    expect(exchanges[0]!.error).toContain('exceeds 1 KiB')
  })

  it('a streamed body above the cap fails; one exactly at the cap is read', async () => {
    const { http } = client()
    await expect(http.send({ url: `${url}/streamed-large` }))
      .rejects.toMatchObject({ code: 'ERR_HTTP_BODY_TOO_LARGE' })
    expect((await http.send({ url: `${url}/exactly-cap` })).text).toHaveLength(1024)
  })

  it('a redirect is returned as is, never followed', async () => {
    const { http, exchanges } = client()
    const before = hits.get('/json') ?? 0
    const res = await http.send({ url: `${url}/redirect` })
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe('/json')
    expect(hits.get('/json') ?? 0).toBe(before)
    expect(exchanges).toHaveLength(1)
  })

  it('connection refused → ERR_TARGET_UNREACHABLE, recorded', async () => {
    const { http, exchanges } = client()
    const refused = http.send({ method: 'POST', url: `${closedUrl}/token`, body: '' })
    await expect(refused).rejects.toMatchObject({
      code: 'ERR_TARGET_UNREACHABLE', message: `POST ${closedUrl}/token: cannot connect (ECONNREFUSED)`,
    })
    expect(exchanges[0]!.error).toBe(`POST ${closedUrl}/token: cannot connect (ECONNREFUSED)`)
  })

  it('a connection reset in the middle of the body → ERR_HTTP_PROTOCOL', async () => {
    const { http, exchanges } = client()
    const message = `GET ${resetUrl}/token: the connection closed before the body ended (ECONNRESET)`
    await expect(http.send({ url: `${resetUrl}/token` }))
      .rejects.toMatchObject({ code: 'ERR_HTTP_PROTOCOL', message })
    expect(exchanges[0]!.error).toBe(message)
  })
})

describe('HttpClient.send on 429', () => {
  it('waits and retries; every attempt is recorded with its operation', async () => {
    tooManyLeft = 2
    const { http, exchanges } = client()
    const res = await http.send({ url: `${url}/too-many`, operation: 'token' })
    expect(res.status).toBe(200)
    expect(exchanges.map((e) => [e.operation, e.response?.status]))
      .toEqual([['token', 429], ['token', 429], ['token', 200]])
  })

  it('every attempt, retries included, takes a throttle slot (--rate-limit)', async () => {
    tooManyLeft = 1
    const take = vi.fn(async () => undefined)
    const { http } = client({ throttle: { take } as unknown as Throttle })
    await http.send({ url: `${url}/too-many` })
    expect(take).toHaveBeenCalledTimes(2)
  })

  it('gives up after max429Retries, returning the 429; max429WaitMs caps a long Retry-After', async () => {
    const { http, exchanges } = client({ max429Retries: 2 })
    const before = hits.get('/always-429') ?? 0
    const res = await http.send({ url: `${url}/always-429` })
    expect(res.status).toBe(429)
    expect(exchanges).toHaveLength(3)
    expect(hits.get('/always-429')! - before).toBe(3)
  })

  it('a 503 (temporary, RFC 9110 §15.6.4) is waited out and retried like a 429', async () => {
    unavailableLeft = 1
    const { http, exchanges } = client()
    const res = await http.send({ url: `${url}/unavailable-once`, operation: 'token' })
    expect(res.status).toBe(200)
    expect(exchanges.map((e) => e.response?.status)).toEqual([503, 200])
  })

  it('retryOn429: false returns the first 429', async () => {
    tooManyLeft = 1
    const { http, exchanges } = client()
    expect((await http.send({ url: `${url}/too-many`, retryOn429: false })).status).toBe(429)
    expect(exchanges).toHaveLength(1)
    tooManyLeft = 0
  })
})

describe('retryDelayMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z')
  const cap = 30_000

  it('Retry-After in seconds', () => {
    expect(retryDelayMs({ 'retry-after': '3' }, now, cap)).toBe(3000)
    expect(retryDelayMs({ 'retry-after': ' 0 ' }, now, cap)).toBe(0)
  })

  it('Retry-After as an HTTP date (RFC 9110 §10.2.3)', () => {
    expect(retryDelayMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now, cap)).toBe(5000)
    expect(retryDelayMs({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, now, cap)).toBe(0)
  })

  it('X-Rate-Limit-Reset in epoch seconds when there is no Retry-After', () => {
    const reset = String(now / 1000 + 7)
    expect(retryDelayMs({ 'x-rate-limit-reset': reset }, now, cap)).toBe(7000)
    expect(retryDelayMs({ 'retry-after': '1', 'x-rate-limit-reset': reset }, now, cap)).toBe(1000)
  })

  it('one second when nothing (usable) says how long', () => {
    expect(retryDelayMs({}, now, cap)).toBe(1000)
    expect(retryDelayMs({ 'retry-after': 'later' }, now, cap)).toBe(1000)
  })

  it('never more than the cap', () => {
    expect(retryDelayMs({ 'retry-after': '3600' }, now, cap)).toBe(cap)
    expect(retryDelayMs({ 'x-rate-limit-reset': String(now / 1000 + 3600) }, now, cap)).toBe(cap)
  })
})
