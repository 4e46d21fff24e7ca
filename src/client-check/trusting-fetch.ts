/**
 * HTTPS for a client given its server's CA under `client-check --tls`. Apart from tls.ts, which issues the
 * certificates, so that a client does not load node-forge at every start.
 * @module
 */
import { Agent, request } from 'node:https'

/**
 * A `fetch` for HTTPS that trusts exactly `ca` (not the system store), as a client pinned to its server's CA
 * does; plain `http:` URLs go to the global fetch. Node's global fetch cannot be given a CA before Node 22,
 * so this one is built on node:https. In-process clients under `--tls` pass it to their HTTP client:
 *
 *     new OobFlowClient({ issuer: env.baseUrl, clientId: env.clientId, fetch: fetchTrusting(env.ca!) })
 */
export function fetchTrusting(ca: string): typeof globalThis.fetch {
  const agent = new Agent({ ca })
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (url.protocol !== 'https:') return globalThis.fetch(input, init)
    if (input instanceof Request || !(init.body == null || typeof init.body === 'string' ||
      init.body instanceof URLSearchParams)) {
      throw new TypeError('fetchTrusting: give a URL and a string or URLSearchParams body')
    }
    const headers = new Headers(init.headers)
    if (init.body instanceof URLSearchParams && !headers.has('content-type')) {
      headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8')
    }
    const body = init.body == null ? undefined : String(init.body)
    return new Promise<Response>((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers: Object.fromEntries(headers), agent,
        ...(init.signal != null && { signal: init.signal }) }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const status = res.statusCode ?? 0
          const answer = new Headers()
          for (const [name, value] of Object.entries(res.headers)) {
            for (const v of Array.isArray(value) ? value : [value ?? '']) answer.append(name, v)
          }
          // Fetch allows no body with 204, 205 and 304.
          const nullBody = [204, 205, 304].includes(status)
          resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: answer }))
        })
      })
      // As the global fetch does: a network failure is a TypeError whose cause is the socket's error.
      req.on('error', (cause) => reject(init.signal?.aborted ? cause : new TypeError('fetch failed', { cause })))
      req.end(body)
    })
  }
}
