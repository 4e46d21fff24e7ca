import { HttpClient, type HttpRequest, type HttpResponse } from '../../src/http/client.js'
import { check, fail, pass, unknownCodeTokenForm } from '../../src/engine/index.js'

const LIMIT_HEADERS = ['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset']

/**
 * The burst's own client_id: a server that counts per client (the reference server counts per claimed
 * client_id) gives it a bucket of its own, so its 429s do not slow the other checks down; a server that
 * counts per address or per organisation shares one bucket whatever the id.
 */
const PROBE_CLIENT_ID = 'oob-conformance-rate-limit-probe'
/** Without an advertised limit to size it by, the burst stays small enough for any test environment. */
const DEFAULT_BURST = 300
/**
 * The most requests the check sends when the server advertises how many remain: about a second of a local
 * server's time. A higher advertised remainder (the reference server allows 6000 a minute) skips the check.
 */
const MAX_BURST = 1000
const IN_FLIGHT = 16
const BURST_SECONDS = 10

check('security/rate-limit-headers', 'responses report X-Rate-Limit-Limit, -Remaining and -Reset (okta)',
  ['OOB-S-RATE-LIMIT-HEADERS'],
  async ({ oob, target, skip, note }) => {
    if (target.profile !== 'okta') skip('no standard defines X-Rate-Limit-* headers: okta-only requirement')
    const responses = [await oob.authenticate('push'), await oob.token('oob-conformance-unknown-code')]
    const now = Date.now() / 1000
    for (const res of responses) {
      const missing = LIMIT_HEADERS.filter((name) => !/^\d+$/.test(res.headers[name] ?? ''))
      if (missing.length > 0) {
        const request = `the ${res.status} response to a ${res.exchange.operation} request`
        fail('OOB-S-RATE-LIMIT-HEADERS', `${request} lacks a decimal ${missing.join(', ')}`)
      }
      // Okta: UTC epoch seconds at which the current window ends.
      const reset = Number(res.headers['x-rate-limit-reset'])
      if (reset < now - 60 || reset > now + 3600) {
        fail('OOB-S-RATE-LIMIT-HEADERS', `X-Rate-Limit-Reset is ${reset}, not an epoch second in the next hour (now ${Math.floor(now)})`)
      }
    }
    const { headers } = responses[0]!
    pass('OOB-S-RATE-LIMIT-HEADERS', `limit ${headers['x-rate-limit-limit']}`)
    note(`limit ${headers['x-rate-limit-limit']}, remaining ${headers['x-rate-limit-remaining']}`)
  })

interface Burst {
  sent: number
  seconds: number
  /** The first 429, and which request of the burst got it. */
  limited?: { res: HttpResponse; at: number }
}

/** Sends `request` up to `size` times, `IN_FLIGHT` at a time, until the first 429 or the time bound. */
async function burst(http: HttpClient, request: HttpRequest, size: number): Promise<Burst> {
  const started = performance.now()
  const deadline = started + BURST_SECONDS * 1000
  const result: Burst = { sent: 0, seconds: 0 }
  const sender = async () => {
    while (result.limited === undefined && result.sent < size && performance.now() < deadline) {
      const at = ++result.sent
      const res = await http.send(request)
      if (res.status === 429) result.limited ??= { res, at }
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, sender))
  result.seconds = (performance.now() - started) / 1000
  return result
}

check('security/rate-limit-429', 'a burst of token requests is answered 429, saying when to retry',
  ['OOB-S-RATE-LIMIT-429'],
  async (c) => {
    if (c.target.rateLimit !== undefined) {
      c.skip(`--rate-limit ${c.target.rateLimit}/s is set; a burst to the server's limit would break it`)
    }
    // A burst of identical exchanges would swamp the report: the transcript keeps the first two and the 429s.
    let seen = 0
    const http = new HttpClient({
      ...c.http.options,
      onExchange: (exchange) => {
        if (seen++ < 2 || exchange.response?.status === 429) c.http.options.onExchange?.(exchange)
      },
    })
    const request: HttpRequest = {
      url: c.target.endpoints.token,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: unknownCodeTokenForm(c.target, { client_id: PROBE_CLIENT_ID }),
      operation: 'token',
      retryOn429: false,
    }
    const probe = await http.send(request)
    const header = probe.headers['x-rate-limit-remaining'] ?? ''
    const remaining = /^\d+$/.test(header) ? Number(header) : undefined
    if (probe.status !== 429 && remaining !== undefined && remaining >= MAX_BURST) {
      c.skip(`the server advertises ${remaining} requests remaining (X-Rate-Limit-Remaining), more than ` +
        `the ${MAX_BURST} this check sends; a lower limit gives a verdict (reference server: rateLimit)`)
    }
    // The server's own figure sizes the burst: one more than it says remain.
    const size = remaining === undefined ? DEFAULT_BURST : remaining + 1
    const { sent, seconds, limited } = probe.status === 429
      ? { sent: 0, seconds: 0, limited: { res: probe, at: 0 } }
      : await burst(http, request, size)
    const volume = `${sent + 1} requests in ${seconds.toFixed(1)} s`
    if (limited) {
      const { headers } = limited.res
      const name = ['Retry-After', 'X-Rate-Limit-Reset'].find((h) => headers[h.toLowerCase()] !== undefined)
      const at = `request #${limited.at + 1}`
      if (!name) fail('OOB-S-RATE-LIMIT-429', `${at} got 429 without Retry-After or X-Rate-Limit-Reset: when may the client retry?`)
      pass('OOB-S-RATE-LIMIT-429', `429 at ${at}`)
      return c.note(`429 at ${at} (${volume}), with ${name} ${headers[name.toLowerCase()]}`)
    }
    if (sent < size) {
      c.skip(`no 429 after ${volume}: the ${BURST_SECONDS} s bound cut the burst at ${sent} of ${size}`)
    }
    if (remaining === undefined) {
      // A limit above the burst and no limit at all look the same from here.
      c.skip(`no 429 after ${volume} for one client_id, and no X-Rate-Limit-Remaining to size a larger burst ` +
        'by: whether a higher limit exists cannot be told')
    }
    fail('OOB-S-RATE-LIMIT-429', `no 429 after ${volume}, although the server advertised only ${remaining} requests remaining`)
  }, { timeoutSeconds: BURST_SECONDS + 20 })
