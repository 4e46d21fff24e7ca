import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { HttpClient } from '../http/client.js'
import { OOB_GRANT_TYPE } from '../protocol/index.js'
import { PRIMARY, PUBLIC_CLIENT, STANDARD_SCOPE, TOKEN } from '../reference-server/harness.js'
import { startReferenceServer } from '../reference-server/index.js'
import type { Exchange } from '../http/exchange.js'
import { controlApiDriver } from './control-api.js'
import { DriverSkipped, operationsOf } from './driver.js'

const DEFAULTS = { timeoutMs: 5000, maxResponseBytes: 4096 }

/** The check's recording client, as the engine passes it in `DriverCall.http`. */
function recording() {
  const exchanges: Exchange[] = []
  const http = new HttpClient({ ...DEFAULTS, onExchange: (e) => exchanges.push(e) })
  return { http, exchanges }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => expect.fail('expected a rejection'), (e: unknown) => e)
}

describe('controlApiDriver against the reference server', () => {
  let reference: Awaited<ReturnType<typeof startReferenceServer>>
  beforeAll(async () => {
    reference = await startReferenceServer({ control: true })
  })
  afterAll(() => reference.close())

  const driver = () => controlApiDriver(`${reference.url}/control`, DEFAULTS)

  async function post(path: string, form: Record<string, string>) {
    const res = await fetch(`${reference.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    })
    return { status: res.status, body: await res.json() as Record<string, string> }
  }

  /** Starts a sign-in for a standard user on its channel: the `oob_code` and the number shown, if any. */
  async function initiate(loginHint: string, channel = 'push') {
    const res = await post(PRIMARY, {
      client_id: PUBLIC_CLIENT, login_hint: loginHint, channel_hint: channel, challenge_hint: OOB_GRANT_TYPE,
    })
    expect(res.status).toBe(200)
    return { oobCode: res.body.oob_code!, bindingCode: res.body.binding_code }
  }

  const redeem = (oobCode: string, extra: Record<string, string> = {}) => post(TOKEN, {
    client_id: PUBLIC_CLIENT, grant_type: OOB_GRANT_TYPE, oob_code: oobCode, scope: STANDARD_SCOPE, ...extra,
  })

  it('plays all four operations', () => {
    expect(operationsOf(driver())).toEqual(['approve', 'deny', 'otp', 'expire'])
  })

  it('approve POSTs to {controlUrl}/transactions/{oob_code}/approve on the check\'s client; tokens follow', async () => {
    const { oobCode } = await initiate('push@example.test')
    const { http, exchanges } = recording()
    await driver().approve!(oobCode, { http, check: 'flows/push-happy-path', loginHint: 'push@example.test' })
    expect(exchanges.map((e) => [e.operation, e.request.method, e.request.url, e.request.body, e.response?.status]))
      .toEqual([['control', 'POST', `${reference.url}/control/transactions/${encodeURIComponent(oobCode)}/approve`,
        undefined, 204]])
    expect(exchanges[0]!.request.headers).toEqual({})
    expect((await redeem(oobCode)).status).toBe(200)
  })

  it('approve sends the tapped number as {"binding_code"}: the right one approves, a wrong one denies', async () => {
    const right = await initiate('number@example.test')
    const { http, exchanges } = recording()
    await driver().approve!(right.oobCode, { http, bindingCode: right.bindingCode! })
    expect(exchanges[0]!.request.body).toBe(JSON.stringify({ binding_code: right.bindingCode }))
    expect(exchanges[0]!.request.headers).toEqual({ 'content-type': 'application/json' })
    expect((await redeem(right.oobCode)).status).toBe(200)

    const wrong = await initiate('number@example.test')
    await driver().approve!(wrong.oobCode, { bindingCode: wrong.bindingCode === '1' ? '2' : '1' })
    expect((await redeem(wrong.oobCode)).body.error_description).toBe('The user rejected the request.')
  })

  it('deny POSTs …/deny: the next token request gets the denial', async () => {
    const { oobCode } = await initiate('push@example.test')
    const { http, exchanges } = recording()
    await driver().deny!(oobCode, { http })
    expect(exchanges.map((e) => [e.request.method, e.request.url.slice(reference.url.length)]))
      .toEqual([['POST', `/control/transactions/${encodeURIComponent(oobCode)}/deny`]])
    expect(await redeem(oobCode)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
  })

  it('otp GETs …/otp and returns the code, which redeems the transaction', async () => {
    const { oobCode } = await initiate('sms@example.test', 'sms')
    const { http, exchanges } = recording()
    const otp = await driver().otp!(oobCode, { http })
    expect(exchanges.map((e) => [e.request.method, e.request.url.slice(reference.url.length)]))
      .toEqual([['GET', `/control/transactions/${encodeURIComponent(oobCode)}/otp`]])
    expect(otp).toMatch(/^\S+$/)
    expect((await redeem(oobCode, { binding_code: otp })).status).toBe(200)
  })

  it('expire POSTs …/expire: the transaction then fails as expired', async () => {
    const { oobCode } = await initiate('push@example.test')
    await driver().expire!(oobCode, {})
    expect(await redeem(oobCode)).toMatchObject({
      status: 403, body: { error: 'access_denied', error_description: 'The oob_code has expired. Start a new sign-in.' },
    })
  })

  it('an error answer (unknown code 404, approving an SMS 409) → ERR_DRIVER_FAILED quoting it', async () => {
    await expect(driver().deny!('no-such-code', {})).rejects.toMatchObject({
      code: 'ERR_DRIVER_FAILED',
      message: 'the test-control API answered 404 to deny for oob_code no-such-code: ' +
        '{"error":"not_found","error_description":"No such transaction."}',
    })
    const { oobCode } = await initiate('sms@example.test', 'sms')
    await expect(driver().approve!(oobCode, {})).rejects.toMatchObject({
      code: 'ERR_DRIVER_FAILED',
      message: expect.stringMatching(/^the test-control API answered 409 to approve for oob_code \S+: \{"error":"conflict"/),
    })
  })
})

describe('controlApiDriver against a minimal control API', () => {
  type Handler = (req: IncomingMessage, res: ServerResponse) => void
  let handler: Handler
  const seen: string[] = []
  let url: string
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    handler(req, res)
  })
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/control`
  })
  afterAll(() => new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  }))
  const answer = (status: number, body = '', type = 'application/json'): Handler => (_req, res) => {
    res.writeHead(status, body === '' ? {} : { 'content-type': type }).end(body)
  }

  it('percent-encodes the oob_code as one path segment, and ignores a trailing slash of the control URL', async () => {
    handler = answer(204)
    seen.length = 0
    await controlApiDriver(`${url}/`, DEFAULTS).approve!('a/b c?d', {})
    expect(seen).toEqual(['POST /control/transactions/a%2Fb%20c%3Fd/approve'])
  })

  it('501 → DriverSkipped naming the operation, for each of them', async () => {
    handler = answer(501, '{"error":"not_implemented"}')
    const driver = controlApiDriver(url, DEFAULTS)
    const calls = {
      approve: driver.approve!('tx', {}), deny: driver.deny!('tx', {}),
      otp: driver.otp!('tx', {}), expire: driver.expire!('tx', {}),
    }
    for (const [operation, call] of Object.entries(calls)) {
      const skipped = await rejection(call)
      expect(skipped).toBeInstanceOf(DriverSkipped)
      expect(skipped).toMatchObject({ reason: `the test-control API does not support ${operation} (501)` })
    }
  })

  it('500 → ERR_DRIVER_FAILED with the status, the operation, the code and the first 120 characters', async () => {
    handler = answer(500, 'x'.repeat(100) + 'y'.repeat(100), 'text/plain')
    await expect(controlApiDriver(url, DEFAULTS).expire!('tx-500', {})).rejects.toMatchObject({
      code: 'ERR_DRIVER_FAILED',
      message: `the test-control API answered 500 to expire for oob_code tx-500: ${'x'.repeat(100)}${'y'.repeat(20)}`,
    })
  })

  it('a redirect is not followed and counts as an error answer', async () => {
    handler = (_req, res) => res.writeHead(302, { location: '/elsewhere' }).end()
    await expect(controlApiDriver(url, DEFAULTS).deny!('tx-302', {})).rejects.toMatchObject({
      code: 'ERR_DRIVER_FAILED', message: 'the test-control API answered 302 to deny for oob_code tx-302: ',
    })
  })

  it.each([
    ['{"otp":123456}'], ['{}'], ['not json'], ['["123456"]'],
  ])('an otp answer %s without an "otp" string → ERR_DRIVER_FAILED naming it', async (body) => {
    handler = answer(200, body)
    await expect(controlApiDriver(url, DEFAULTS).otp!('tx-otp', {})).rejects.toMatchObject({
      code: 'ERR_DRIVER_FAILED',
      message: `the test-control API's otp answer for oob_code tx-otp has no "otp" string: ${body}`,
    })
  })

  it('otp returns the code exactly as given', async () => {
    handler = answer(200, '{"otp":" a1 B2 "}')
    expect(await controlApiDriver(url, DEFAULTS).otp!('tx', {})).toBe(' a1 B2 ')
  })

  it('without the check\'s client, uses its own with the given bounds', async () => {
    handler = answer(200, JSON.stringify({ otp: 'z'.repeat(200) }))
    await expect(controlApiDriver(url, { timeoutMs: 5000, maxResponseBytes: 100 }).otp!('tx', {}))
      .rejects.toMatchObject({ code: 'ERR_HTTP_BODY_TOO_LARGE' })
    const { http, exchanges } = recording()
    expect(await controlApiDriver(url, { timeoutMs: 5000, maxResponseBytes: 100 }).otp!('tx', { http }))
      .toBe('z'.repeat(200))
    expect(exchanges).toHaveLength(1)
  })
})
