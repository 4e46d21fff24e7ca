/**
 * Serving an in-process request handler on an ephemeral loopback port, the way supertest does: a `node:http`
 * listener (an Express or Connect app is one) as it is, a fetch handler (a Hono app, `app.fetch`) through
 * `@hono/node-server`'s request listener.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { OobConformanceError } from '../errors.js'

/** A `node:http` request listener: `(req, res) => …`. An Express app is one. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => unknown
/** A WHATWG fetch handler: `(request) => Response`. Hono's `app.fetch` is one. */
export type FetchHandler = (request: Request) => Response | Promise<Response>
/**
 * What the adapter can serve: an object with a `fetch` method (a Hono app), a fetch function (one parameter), or
 * a node listener (two or more parameters: `(req, res)`, Express's `(req, res, next)`).
 */
export type Handler = NodeListener | FetchHandler | { fetch: FetchHandler }

export interface ServedHandler {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string
  close(): Promise<void>
}

/** The node listener for `handler`, telling a fetch function from a listener by its arity. */
export function listenerFor(handler: Handler): NodeListener {
  if (typeof handler === 'object' && handler !== null && typeof handler.fetch === 'function') {
    const app = handler
    return getRequestListener((request) => app.fetch(request))
  }
  if (typeof handler !== 'function') {
    throw new OobConformanceError('ERR_USAGE',
      'handler: give a node:http listener (req, res) => …, an Express app, a fetch function or an object with fetch (a Hono app)')
  }
  if (handler.length >= 2) return handler as NodeListener
  const fetch = handler as FetchHandler
  return getRequestListener((request) => fetch(request))
}

/** Listens on 127.0.0.1 on a port the system picks; `close` also ends open keep-alive connections. */
export async function serveHandler(handler: Handler): Promise<ServedHandler> {
  const server: Server = createServer(listenerFor(handler))
  // Outlive the client's idle keep-alive (undici: 4 s) by far, as the reference server does: a poll after a long
  // wait must never meet a socket the server is closing at that moment.
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) => reject(new OobConformanceError('ERR_SERVER_LISTEN',
      `handler: cannot listen on 127.0.0.1: ${cause.message}`, { cause })))
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()))
      server.closeAllConnections()
    }),
  }
}
