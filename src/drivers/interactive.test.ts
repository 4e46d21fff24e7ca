import { describe, it, expect } from 'vitest'
import { PassThrough, Writable } from 'node:stream'
import { setImmediate as tick } from 'node:timers/promises'
import { operationsOf } from './driver.js'
import { interactiveDriver } from './interactive.js'

function terminal() {
  const input = new PassThrough()
  let shown = ''
  const output = new Writable({
    write(chunk, _encoding, done) {
      shown += String(chunk)
      done()
    },
  })
  const driver = interactiveDriver(input, output)
  /** Lets the driver read what was typed and print its next prompt. */
  const settle = async () => {
    for (let i = 0; i < 5; i++) await tick()
  }
  return { input, driver, shown: () => shown, settle }
}

describe('interactiveDriver', () => {
  it('plays approve, deny and otp; expire is left to the suite\'s own wait', () => {
    expect(operationsOf(terminal().driver)).toEqual(['approve', 'deny', 'otp'])
  })

  it('asks one question at a time, in order, and names the transaction and the number to tap', async () => {
    const t = terminal()
    const approved = t.driver.approve!('abcdefghijklmnop', { bindingCode: '42' })
    const code = t.driver.otp!('qrstuvwxyz012345')
    await t.settle()
    expect(t.shown()).toBe('\nApprove the push for transaction abcdefgh… on the authenticator and tap the ' +
      'number 42, then press Enter.\n> ')
    t.input.write('\n')
    await approved
    await t.settle()
    expect(t.shown()).toContain('\nType the code you received for transaction qrstuvwx…, exactly as shown, ' +
      'then press Enter.\n> ')
    t.input.write('  12 34 \n')
    expect(await code).toBe('  12 34 ')
  })

  it('deny asks to reject the push', async () => {
    const t = terminal()
    const denied = t.driver.deny!('tx-000000001')
    await t.settle()
    expect(t.shown()).toContain('Deny (reject) the push for transaction tx-00000… on the authenticator')
    t.input.write('\r\n')
    await denied
  })

  it('when the input ends, a pending prompt and every later one fail rather than wait forever', async () => {
    const t = terminal()
    const pending = t.driver.otp!('tx-000000002')
    await t.settle()
    t.input.end()
    const failure = {
      code: 'ERR_DRIVER_FAILED', message: 'the terminal input ended before the prompt was answered',
    }
    await expect(pending).rejects.toMatchObject(failure)
    await expect(t.driver.approve!('tx-000000003', {})).rejects.toMatchObject(failure)
  })

  it('close() ends the prompts', async () => {
    const t = terminal()
    const pending = t.driver.deny!('tx-000000004')
    await t.driver.close!()
    await expect(pending).rejects.toMatchObject({ code: 'ERR_DRIVER_FAILED' })
  })
})
