import { describe, it, expect, vi, beforeAll, afterAll } from 'vitest'
import { resolveCheckConfig } from '../config/resolve.js'
import type { DriverOperation, TargetConfig } from '../config/target.js'
import { startBridge, type Bridge } from '../drivers/bridge.js'
import { HttpClient } from '../http/client.js'
import type { Exchange } from '../results/model.js'
import { UserDriver } from './control.js'
import { CheckFailure } from './failure.js'
import type { Transaction } from './oob.js'

/** What `skip` threw, so that a test can tell a skip from a failure. */
class Skipped extends Error {}
const skip = (reason: string): never => {
  throw new Skipped(reason)
}

// The user's part, played by a module-like driver behind the CLI's bridge: the path every driver takes.
const driver = {
  approve: vi.fn(async (_oobCode: string, _options: { bindingCode?: string }) => undefined),
  // A driver is JavaScript too: 'numeric' stands for one that answers with a number.
  otp: vi.fn(async (oobCode: string) => (oobCode === 'numeric' ? 123456 as unknown as string : 'a1 b2')),
  expire: vi.fn(async (oobCode: string) => {
    if (oobCode === 'unknown') throw new Error('no such transaction')
  }),
}
let bridge: Bridge
beforeAll(async () => {
  bridge = await startBridge(driver)
})
afterAll(() => bridge.close())

const ALL: DriverOperation[] = ['approve', 'deny', 'otp', 'expire']

function user(controlUrl: string | undefined, driverOperations = ALL) {
  const resolved = resolveCheckConfig({ baseUrl: 'https://as.example' }, {}).target
  const target: TargetConfig = { ...resolved, controlUrl, driverOperations }
  const exchanges: Exchange[] = []
  const http = new HttpClient({
    timeoutMs: 5000, maxResponseBytes: 4096, onExchange: (e) => exchanges.push(e),
  })
  return { user: new UserDriver(target, http, skip), exchanges }
}

const tx = (oobCode: string): Transaction =>
  ({ oobCode, expiresIn: 300, channel: 'push', bindingMethod: 'none', client: {}, receivedAt: 0 })

describe('UserDriver', () => {
  it('supports an operation only with a control URL and a driver that has it', () => {
    expect(user(undefined).user.supports('approve')).toBe(false)
    const { user: partial } = user(bridge.url, ['otp'])
    expect(partial.supports('otp')).toBe(true)
    expect(partial.supports('approve')).toBe(false)
  })

  it('approve POSTs to {controlUrl}/transactions/{oob_code}/approve, a binding_code as JSON', async () => {
    const { user: u, exchanges } = user(bridge.url)
    await u.approve(tx('a/b c'))
    await u.approve(tx('tx2'), '42')
    expect(driver.approve.mock.calls)
      .toEqual([['a/b c', { bindingCode: undefined }], ['tx2', { bindingCode: '42' }]])
    expect(exchanges.map((e) => [e.operation, e.request.method, e.request.url, e.request.body])).toEqual([
      ['control', 'POST', `${bridge.url}/transactions/a%2Fb%20c/approve`, undefined],
      ['control', 'POST', `${bridge.url}/transactions/tx2/approve`, '{"binding_code":"42"}'],
    ])
    expect(exchanges[1]!.request.headers).toEqual({ 'content-type': 'application/json' })
  })

  it('otp returns the code as the driver gave it', async () => {
    expect(await user(bridge.url).user.otp(tx('tx3'))).toBe('a1 b2')
  })

  it('an otp answer without an "otp" string fails the check', async () => {
    await expect(user(bridge.url).user.otp(tx('numeric')))
      .rejects.toThrow(new CheckFailure('the control API\'s otp answer has no "otp" string: {"otp":123456}'))
  })

  it('skips, with the reason, when no driver is configured or it lacks the operation', async () => {
    await expect(user(undefined).user.approve(tx('tx4')))
      .rejects.toThrow(new Skipped('needs the user to approve: give --control-url or --driver'))
    await expect(user(bridge.url, ['otp']).user.deny(tx('tx4')))
      .rejects.toThrow(new Skipped('needs the user to deny, which the driver cannot do'))
  })

  it('skips when the control API answers 501 for an operation it was thought to have', async () => {
    const { user: u, exchanges } = user(bridge.url)
    await expect(u.deny(tx('tx5'))).rejects.toThrow(new Skipped('the driver does not support deny (501)'))
    expect(exchanges).toHaveLength(1)
  })

  it('fails on any other error answer, quoting it', async () => {
    await expect(user(bridge.url).user.expire(tx('unknown'))).rejects.toThrow(new CheckFailure(
      'the test-control API answered 502 to expire for oob_code unknown: ' +
      '{"error":"driver_failed","error_description":"no such transaction"}'))
  })

  it('expire says whether the driver ended the transaction (501 or none: wait instead)', async () => {
    expect(await user(bridge.url).user.expire(tx('tx6'))).toBe(true)
    expect(driver.expire).toHaveBeenCalledWith('tx6')
    const { user: without, exchanges } = user(bridge.url, ['approve'])
    expect(await without.expire(tx('tx7'))).toBe(false)
    expect(exchanges).toHaveLength(0)
    const approveOnly = await startBridge({ approve: driver.approve })
    try {
      expect(await user(approveOnly.url).user.expire(tx('tx8'))).toBe(false)
    } finally {
      await approveOnly.close()
    }
  })
})
