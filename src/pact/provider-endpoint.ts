/**
 * What the Pact verifier talks to while it verifies one interaction: a local HTTP server that sets up
 * provider states (`POST /_pact/state`) and forwards every other request, byte for byte, to the target.
 *
 * Forwarding through the check's recording client puts every exchange in the check's transcript (so failures
 * come with curl reproductions and the schema suite grades the responses), maps the pact's Okta-style paths
 * to the target's configured endpoints, and — unlike the JS `Verifier`'s proxy, which re-encodes form bodies
 * as JSON (pact-js #884) — leaves `application/x-www-form-urlencoded` bodies intact.
 * @module
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { standardAccounts } from '../config/accounts.js'
import type { Endpoints, TargetConfig } from '../config/target.js'
import type { HttpRequest, HttpResponse } from '../http/client.js'
import { OobConformanceError } from '../errors.js'
import { ProviderStates, type ProviderContext } from './states.js'

const STATE_PATH = '/_pact/state'

export interface ProviderEndpoint {
  /** The provider base URL to give the verifier. */
  url: string
  /** Its `providerStatesSetupUrl`. */
  stateUrl: string
  /** The first error a state setup or a forwarded request threw: a skip, a verdict, an unreachable target. */
  readonly error: unknown
  /** The target's answer to the interaction's request, once forwarded. */
  readonly answer: HttpResponse | undefined
  close(): Promise<void>
}

const ENDPOINT_OF: Record<string, keyof Endpoints> = {
  'primary-authenticate': 'primaryAuthenticate',
  'oob-authenticate': 'oobAuthenticate',
  token: 'token',
}

/** Where a pact path goes on the target: the configured URL of the operation its last segment names. */
export function targetUrl(path: string, target: TargetConfig): { url: string; operation?: keyof Endpoints } {
  const [pathname = '', query] = path.split(/\?(.*)/s)
  const operation = ENDPOINT_OF[pathname.split('/').at(-1) ?? '']
  if (operation === undefined) return { url: new URL(path, target.baseUrl).href }
  return { url: target.endpoints[operation] + (query ? `?${query}` : ''), operation }
}

/**
 * The pact names the standard accounts; a target configured with its own (`--config`) gets its own
 * `client_id` and `login_hint` values instead, and the rest of the form stays as the consumer wrote it.
 */
export function withTargetAccounts(body: string, contentType: string | undefined, target: TargetConfig):
  string {
  if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return body
  const standard = standardAccounts()
  const replacements = new Map<string, string>()
  for (const kind of ['public', 'confidential', 'noGrant'] as const) {
    replacements.set(standard.clients[kind].clientId, target.accounts.clients[kind].clientId)
  }
  for (const kind of Object.keys(standard.users) as (keyof typeof standard.users)[]) {
    replacements.set(standard.users[kind], target.accounts.users[kind])
  }
  const params = new URLSearchParams(body)
  let changed = false
  for (const name of ['client_id', 'login_hint']) {
    const value = params.get(name)
    const replacement = value === null ? undefined : replacements.get(value)
    if (replacement !== undefined && replacement !== value) {
      params.set(name, replacement)
      changed = true
    }
  }
  return changed ? params.toString() : body
}

// Connection-level headers belong to each hop; fetch sets its own length and decodes any content-encoding.
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding',
  'accept-encoding', 'content-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer'])

function endToEnd(headers: IncomingHttpHeaders | Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) {
      kept[name] = Array.isArray(value) ? value.join(', ') : value
    }
  }
  return kept
}

const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE'] satisfies HttpRequest['method'][]

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Starts the endpoint on a free local port for one interaction's verification. */
export async function startProviderEndpoint(ctx: ProviderContext): Promise<ProviderEndpoint> {
  const states = new ProviderStates(ctx)
  let error: unknown
  let answer: HttpResponse | undefined

  async function forward(req: IncomingMessage, body: string): Promise<HttpResponse> {
    const method = req.method ?? 'GET'
    if (!METHODS.includes(method)) {
      throw new OobConformanceError('ERR_PACT_INVALID', `the pact's ${method} request cannot be forwarded (${METHODS.join(', ')} only)`)
    }
    const { url, operation } = targetUrl(req.url ?? '/', ctx.target)
    const headers = endToEnd(req.headers)
    return ctx.http.send({
      method: method as HttpRequest['method'],
      url,
      headers,
      body: method === 'GET' ? undefined : withTargetAccounts(body, headers['content-type'], ctx.target),
      ...(operation !== undefined && { operation }),
    })
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await readBody(req)
      // After a failure the verdict is known: the verifier's retries must not start more transactions.
      if (error !== undefined) throw error
      if (req.method === 'POST' && req.url === STATE_PATH) {
        const change = JSON.parse(body) as { state?: unknown; action?: unknown }
        // Teardown has nothing to undo: every interaction starts a transaction of its own.
        const values = change.action === 'teardown' ? {} : await states.setup(String(change.state))
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(values))
        return
      }
      answer = await forward(req, body)
      res.writeHead(answer.status, endToEnd(answer.headers)).end(answer.text)
    } catch (e) {
      error ??= e
      res.writeHead(500, { 'content-type': 'text/plain' }).end((e as Error).message)
    }
  }

  const server = createServer((req, res) => void handle(req, res))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    stateUrl: url + STATE_PATH,
    get error() {
      return error
    },
    get answer() {
      return answer
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  }
}
