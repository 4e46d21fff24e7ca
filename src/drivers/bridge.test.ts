import { describe, it, expect, vi } from 'vitest'
import { driverApp, startBridge } from './bridge.js'
import type { Driver } from './driver.js'

function fullDriver() {
  return {
    approve: vi.fn(async (_oobCode: string, _options: { bindingCode?: string }) => undefined),
    deny: vi.fn(async (_oobCode: string) => undefined),
    otp: vi.fn(async (_oobCode: string) => '123 456'),
    expire: vi.fn(async (_oobCode: string) => undefined),
  }
}

const post = (app: ReturnType<typeof driverApp>, path: string, body?: string) => app.request(path, {
  method: 'POST',
  ...(body !== undefined && { body, headers: { 'content-type': 'application/json' } }),
})
const unsupported = (op: string) =>
  ({ error: 'unsupported', error_description: `the driver has no "${op}" operation` })

describe('driverApp: a Driver served as the test-control API', () => {
  it('approve passes the binding_code of the body, if any, and answers 204', async () => {
    const driver = fullDriver()
    const app = driverApp(driver)
    expect((await post(app, '/transactions/tx1/approve', '{"binding_code":"42"}')).status).toBe(204)
    expect((await post(app, '/transactions/tx2/approve')).status).toBe(204)
    expect((await post(app, '/transactions/tx3/approve', 'not json')).status).toBe(204)
    expect(driver.approve.mock.calls).toEqual([
      ['tx1', { bindingCode: '42' }],
      ['tx2', { bindingCode: undefined }],
      ['tx3', { bindingCode: undefined }],
    ])
  })

  it('deny and expire answer 204; otp answers 200 {"otp"} exactly as the driver gave it', async () => {
    const driver = fullDriver()
    const app = driverApp(driver)
    expect((await post(app, '/transactions/tx1/deny')).status).toBe(204)
    expect((await post(app, '/transactions/tx1/expire')).status).toBe(204)
    const otp = await app.request('/transactions/tx1/otp')
    expect(otp.status).toBe(200)
    expect(await otp.json()).toEqual({ otp: '123 456' })
    expect(driver.deny).toHaveBeenCalledWith('tx1')
    expect(driver.expire).toHaveBeenCalledWith('tx1')
    expect(driver.otp).toHaveBeenCalledWith('tx1')
  })

  it('hands the driver the oob_code decoded', async () => {
    const driver = fullDriver()
    await post(driverApp(driver), `/transactions/${encodeURIComponent('a b+c=')}/deny`)
    expect(driver.deny).toHaveBeenCalledWith('a b+c=')
  })

  it('an operation the driver lacks → 501 naming it', async () => {
    const app = driverApp({ otp: async () => '1' })
    for (const op of ['approve', 'deny', 'expire']) {
      const res = await post(app, `/transactions/tx/${op}`)
      expect(res.status).toBe(501)
      expect(await res.json()).toEqual(unsupported(op))
    }
    const res = await driverApp({ deny: async () => undefined }).request('/transactions/tx/otp')
    expect(res.status).toBe(501)
    expect(await res.json()).toEqual(unsupported('otp'))
  })

  it('a throwing driver → 502 with its message', async () => {
    const boom = async () => {
      throw new Error('the phone is off')
    }
    const app = driverApp({ approve: boom, deny: boom, expire: boom, otp: boom })
    for (const res of [
      await post(app, '/transactions/tx/approve'), await post(app, '/transactions/tx/deny'),
      await post(app, '/transactions/tx/expire'), await app.request('/transactions/tx/otp'),
    ]) {
      expect(res.status).toBe(502)
      expect(await res.json()).toEqual({ error: 'driver_failed', error_description: 'the phone is off' })
    }
  })

  it('a driver throwing something other than an Error → 502 too', async () => {
    const res = await post(driverApp({ deny: () => Promise.reject('no network') }), '/transactions/tx/deny')
    expect(res.status).toBe(502)
    expect(await res.json()).toEqual({ error: 'driver_failed', error_description: 'no network' })
  })
})

describe('startBridge', () => {
  it('serves the driver on loopback until closed', async () => {
    const driver: Driver = { otp: async (oobCode) => `otp-for-${oobCode}` }
    const bridge = await startBridge(driver)
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${bridge.url}/transactions/tx9/otp`)
    expect(await res.json()).toEqual({ otp: 'otp-for-tx9' })
    await bridge.close()
    await expect(fetch(`${bridge.url}/transactions/tx9/otp`)).rejects.toThrow()
  })
})
