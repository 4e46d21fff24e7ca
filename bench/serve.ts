/**
 * A server for the load figures, alone in its process: `reference` (the embedded server's interval, codes
 * that outlive a load test, no rate limit) or `bare` (node:http answering a fixed pending-poll error: the
 * floor this machine allows right now).
 * Prints its URL as the first line of stdout; stops on SIGTERM.
 * @module
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startReferenceServer } from '../src/reference-server/index.js'
import { EMBEDDED_LIFETIMES } from '../src/cli/check.js'

const PENDING = JSON.stringify({ error: 'authorization_pending', error_description: 'Continue polling.' })

async function bare(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume()
    req.once('end', () => res.writeHead(400, { 'content-type': 'application/json' }).end(PENDING))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

const running = process.argv[2] === 'bare'
  ? await bare()
  : await startReferenceServer({ interval: EMBEDDED_LIFETIMES.interval, expiresIn: 300, rateLimit: false })
process.stdout.write(`${running.url}\n`)
process.once('SIGTERM', () => void running.close().then(() => process.exit(0)))
