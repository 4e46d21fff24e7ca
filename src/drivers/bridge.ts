/**
 * Serves a `Driver` living in the CLI's process as the test-control API on loopback, so that checks (running in
 * vitest workers) reach every kind of driver the same way: over `{controlUrl}/transactions/{oob_code}/…`.
 * @module
 */
import { Hono } from 'hono'
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import type { Driver } from './driver.js'

export interface Bridge {
  url: string
  close(): Promise<void>
}

export function driverApp(driver: Driver): Hono {
  const app = new Hono()
  const unsupported = (op: string) => ({ error: 'unsupported', error_description: `the driver has no "${op}" operation` })
  const failed = (e: unknown) => ({ error: 'driver_failed', error_description: (e as Error).message ?? String(e) })
  app.post('/transactions/:oobCode/approve', async (c) => {
    if (!driver.approve) return c.json(unsupported('approve'), 501)
    const body = await c.req.json().catch(() => ({}))
    const bindingCode = typeof body?.binding_code === 'string' ? body.binding_code : undefined
    try {
      await driver.approve(c.req.param('oobCode'), { bindingCode })
      return c.body(null, 204)
    } catch (e) {
      return c.json(failed(e), 502)
    }
  })
  for (const op of ['deny', 'expire'] as const) {
    app.post(`/transactions/:oobCode/${op}`, async (c) => {
      const action = driver[op]
      if (!action) return c.json(unsupported(op), 501)
      try {
        await action.call(driver, c.req.param('oobCode'))
        return c.body(null, 204)
      } catch (e) {
        return c.json(failed(e), 502)
      }
    })
  }
  app.get('/transactions/:oobCode/otp', async (c) => {
    if (!driver.otp) return c.json(unsupported('otp'), 501)
    try {
      return c.json({ otp: await driver.otp(c.req.param('oobCode')) })
    } catch (e) {
      return c.json(failed(e), 502)
    }
  })
  return app
}

export async function startBridge(driver: Driver): Promise<Bridge> {
  const app = driverApp(driver)
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      })
    })
  })
}
