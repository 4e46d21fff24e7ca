/**
 * Assembles the reference server: routes of both authorization servers, discovery, JWKS and the control API.
 * @module
 */

import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { Hono } from 'hono'
import { OobConformanceError } from '../errors.js'
import { defaultBehaviour } from './behaviour.js'
import type { AuthorizationServer, ServerContext } from './context.js'
import { controlApi } from './control.js'
import { jwks, metadata } from './discovery.js'
import { limitBody, oauthEndpoint } from './oauth.js'
import { resolveOptions, type ReferenceServerOptions } from './options.js'
import { RateLimiter } from './rate-limit.js'
import { jsonResponse, oauthError } from './responses.js'
import { createSigningKey } from './tokens.js'
import { TransactionStore } from './transactions.js'

export interface ReferenceServer {
  app: Hono
  fetch: (req: Request) => Promise<Response>
  options: ReferenceServerOptions
}

export async function createReferenceServer(
  options?: Partial<ReferenceServerOptions>,
): Promise<ReferenceServer> {
  const resolved = resolveOptions(options)
  const context: ServerContext = {
    options: resolved,
    behaviour: { ...defaultBehaviour, ...resolved.behaviour },
    // Dropped one lifetime after expiry: long enough to answer a late request with the expiry or reuse error.
    transactions: new TransactionStore(resolved.now, 2 * resolved.expiresIn * 1000),
    limiter: resolved.rateLimit === false
      ? undefined
      : new RateLimiter(resolved.rateLimit.limit, resolved.rateLimit.windowSeconds, resolved.now),
  }
  const [orgKey, defaultKey] = await Promise.all([createSigningKey(), createSigningKey()])
  const servers: AuthorizationServer[] = [
    { id: 'org', issuerPath: '', basePath: '/oauth2/v1', key: orgKey },
    {
      id: 'default',
      issuerPath: '/oauth2/default',
      basePath: '/oauth2/default/v1',
      audience: 'api://default',
      key: defaultKey,
    },
  ]

  const app = new Hono()
  for (const server of servers) {
    for (const endpoint of ['oob-authenticate', 'primary-authenticate', 'token'] as const) {
      app.all(`${server.basePath}/${endpoint}`, limitBody(context), oauthEndpoint(context, server, endpoint))
    }
    app.get(`${server.issuerPath}/.well-known/openid-configuration`,
      (c) => jsonResponse(200, metadata(context, server, c.req.url)))
    app.get(`${server.basePath}/keys`, () => jsonResponse(200, jwks(server)))
  }
  if (resolved.control) {
    app.use('/control/*', limitBody(context))
    app.route('/control', controlApi(context))
  }
  app.notFound(() => oauthError({ status: 404, error: 'not_found', description: 'No such endpoint.' }))

  return { app, fetch: async (req) => app.fetch(req), options: resolved }
}

export async function startReferenceServer(
  options: Partial<ReferenceServerOptions> & { port?: number; host?: string } = {},
): Promise<{ url: string; server: ReferenceServer; close(): Promise<void> }> {
  const { port = 0, host = '127.0.0.1', ...serverOptions } = options
  const server = await createReferenceServer(serverOptions)
  const http = createAdaptorServer({ fetch: server.fetch }) as Server
  // Outlive every client's idle keep-alive (undici: 4 s) by far, so a poll after a long wait never meets a socket
  // the server is closing at that moment (a race that shows as `other side closed` on a loaded machine).
  http.keepAliveTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    http.once('error', (cause) => reject(new OobConformanceError('ERR_SERVER_LISTEN',
      `reference server: cannot listen on ${host}:${port}: ${cause.message}`, { cause })))
    http.listen(port, host, resolve)
  })
  const { address, port: actualPort } = http.address() as AddressInfo
  const hostPart = address.includes(':') ? `[${address}]` : address
  return {
    url: `http://${hostPart}:${actualPort}`,
    server,
    close: () => new Promise<void>((resolve, reject) => {
      http.close((error) => (error ? reject(error) : resolve()))
      http.closeAllConnections()
    }),
  }
}
