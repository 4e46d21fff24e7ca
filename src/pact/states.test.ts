import { describe, it, expect, vi } from 'vitest'
import type { Transaction } from '../engine/oob.js'
import { pendingTransaction, ProviderStates, STATES, wrongCode, type ProviderContext } from './states.js'

function fakeContext(bindingCode?: string) {
  const tx: Transaction = {
    oobCode: 'oob-1', expiresIn: 300, channel: 'push', bindingMethod: 'none', loginHint: 'push@example.test', client: {},
    receivedAt: 0,
    ...(bindingCode !== undefined && { bindingCode }),
  }
  const calls: string[] = []
  const record = (what: string) => async (t: Transaction) => void calls.push(`${what} ${t.oobCode}`)
  const ctx = {
    oob: {
      start: vi.fn(async (kind: string, { channel }: { channel: string }) => {
        calls.push(`start ${kind} ${channel}`)
        return tx
      }),
    },
    user: {
      approve: vi.fn(record('approve')),
      deny: vi.fn(record('deny')),
      otp: vi.fn(async (t: Transaction) => {
        calls.push(`otp ${t.oobCode}`)
        return '480913'
      }),
    },
    expire: vi.fn(record('expire')),
  }
  return { ctx: ctx as unknown as ProviderContext, calls }
}

describe('wrongCode', () => {
  const cases = [['480913', '480914'], ['480919', '480910'], ['aBc', 'aB0'], ['', '0']]
  it.each(cases)('%s → %s', (code, wrong) => {
    expect(wrongCode(code)).toBe(wrong)
    expect(wrongCode(code).toLowerCase()).not.toBe(code.toLowerCase())
  })
})

describe('ProviderStates', () => {
  it('starts the pending transaction through the initiation endpoint and returns its oob_code', async () => {
    const { ctx, calls } = fakeContext()
    expect(await new ProviderStates(ctx).setup(pendingTransaction('sms', 'sms@example.test')))
      .toEqual({ oob_code: 'oob-1' })
    expect(calls).toEqual(['start sms sms'])
  })

  it('returns the number of a number challenge too', async () => {
    const { ctx } = fakeContext('71')
    expect(await new ProviderStates(ctx).setup(pendingTransaction('push', 'number@example.test')))
      .toEqual({ oob_code: 'oob-1', binding_code: '71' })
  })

  it('plays the user on the transaction the earlier state started', async () => {
    const { ctx, calls } = fakeContext()
    const states = new ProviderStates(ctx)
    await states.setup(pendingTransaction('push', 'push@example.test'))
    expect(await states.setup(STATES.approved)).toEqual({})
    await states.setup(STATES.denied)
    await states.setup(STATES.expired)
    expect(await states.setup(STATES.codeKnown)).toEqual({ otp: '480913', wrong_otp: '480914' })
    expect(calls).toEqual(['start push push', 'approve oob-1', 'deny oob-1', 'expire oob-1', 'otp oob-1'])
  })

  it('needs nothing for the standard accounts: they are the server\'s configuration', async () => {
    const { ctx, calls } = fakeContext()
    expect(await new ProviderStates(ctx).setup(STATES.accounts)).toEqual({})
    expect(calls).toEqual([])
  })

  it.each([
    ['an unknown state', 'the moon is full',
      /unknown provider state "the moon is full"; the states this tool sets up: the standard/],
    ['a state without its transaction', STATES.approved,
      /acts on a transaction: list "a pending push transaction for push@example.test"/],
    ['an account that is not standard', pendingTransaction('push', 'alice@example.com'),
      /alice@example.com is not a standard test account/],
  ])('fails %s with the reason', async (_what, state, reason) => {
    const { ctx } = fakeContext()
    await expect(new ProviderStates(ctx).setup(state))
      .rejects.toMatchObject({ code: 'ERR_PACT_INVALID', message: expect.stringMatching(reason) })
  })
})
