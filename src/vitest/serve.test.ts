import type { IncomingMessage, ServerResponse } from 'node:http'
import { Hono } from 'hono'
import { describe, expect, test } from 'vitest'
import { serveHandler, type Handler } from './serve.js'

async function answer(handler: Handler): Promise<{ url: string; status: number; body: string }> {
  const served = await serveHandler(handler)
  try {
    const res = await fetch(`${served.url}/oauth2/v1/token`, { method: 'POST', body: 'a=b' })
    return { url: served.url, status: res.status, body: await res.text() }
  } finally {
    await served.close()
  }
}

describe('serveHandler', () => {
  test('serves a node:http listener (req, res) on an ephemeral loopback port', async () => {
    const { url, status, body } = await answer((req, res) => {
      res.writeHead(201, { 'content-type': 'text/plain' }).end(`${req.method} ${req.url}`)
    })
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect([status, body]).toEqual([201, 'POST /oauth2/v1/token'])
  })

  test('serves an Express-style app: a listener function (req, res, next) with properties', async () => {
    // Express is not a dependency: its app is a function of this shape.
    const app = Object.assign((req: IncomingMessage, res: ServerResponse, next?: () => void) => {
      if (req.method === 'POST') res.writeHead(202).end('express')
      else next?.()
    }, { listen: () => {}, use: () => {} })
    expect(await answer(app)).toMatchObject({ status: 202, body: 'express' })
  })

  test('serves a fetch function and an object with fetch (a Hono app)', async () => {
    const fetchFn = async (request: Request) => new Response(`fetch ${new URL(request.url).pathname} ${await request.text()}`)
    expect(await answer(fetchFn)).toMatchObject({ status: 200, body: 'fetch /oauth2/v1/token a=b' })
    const app = new Hono().post('/oauth2/v1/token', (c) => c.text('hono', 203))
    expect(await answer(app)).toMatchObject({ status: 203, body: 'hono' })
  })

  test('close frees the port and ends keep-alive connections', async () => {
    const served = await serveHandler(() => new Response('ok'))
    await fetch(served.url)
    await served.close()
    await expect(fetch(served.url)).rejects.toThrow()
  })

  test('anything else is a usage error', async () => {
    await expect(serveHandler(42 as unknown as Handler)).rejects.toThrow(/handler: give a node:http listener/)
  })
})
