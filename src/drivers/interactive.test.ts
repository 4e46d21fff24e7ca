import { describe, it, expect } from 'vitest'
import { PassThrough, Writable } from 'node:stream'
import { setImmediate as tick } from 'node:timers/promises'
import { DriverSkipped, operationsOf } from './driver.js'
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
  /** What was printed since the last call. */
  let seen = 0
  const fresh = () => {
    const text = shown.slice(seen)
    seen = shown.length
    return text
  }
  return { input, driver, shown: () => shown, fresh, settle }
}

const OOB_CODE = 'ZXhhbXBsZS1vb2ItY29kZS10aGF0LWlzLWxvbmc_-'
const PUSH = { check: 'flows/push-happy-path', loginHint: 'push@example.test' }

describe('interactiveDriver', () => {
  it('plays approve, deny and otp; expire is left to the engine\'s own wait', () => {
    expect(operationsOf(terminal().driver)).toEqual(['approve', 'deny', 'otp'])
  })

  it('names the check, the user and the whole oob_code in every prompt, and offers skip', async () => {
    const t = terminal()
    const approved = t.driver.approve!(OOB_CODE, PUSH)
    await t.settle()
    expect(t.fresh()).toBe(`\n[flows/push-happy-path] Approve the push for push@example.test (transaction ${OOB_CODE}) ` +
      'on the authenticator, then press Enter — or type skip.\n> ')
    t.input.write('\n')
    await approved

    const denied = t.driver.deny!(OOB_CODE, { check: 'flows/push-denied', loginHint: 'push@example.test' })
    await t.settle()
    expect(t.fresh()).toBe(`\n[flows/push-denied] Deny (reject) the push for push@example.test (transaction ${OOB_CODE}) ` +
      'on the authenticator, then press Enter — or type skip.\n> ')
    t.input.write('\r\n')
    await denied

    const code = t.driver.otp!(OOB_CODE, { check: 'flows/sms-happy-path', loginHint: 'sms@example.test' })
    await t.settle()
    expect(t.fresh()).toBe(`\n[flows/sms-happy-path] Type the code sent to sms@example.test (transaction ${OOB_CODE}), ` +
      'exactly as received, then press Enter — or type skip.\n> ')
    t.input.write('ab12\n')
    expect(await code).toBe('ab12')
  })

  it('asks for the number to tap; leaves out the check and the user when not told them', async () => {
    const t = terminal()
    const approved = t.driver.approve!('tx-1', { bindingCode: '42' })
    await t.settle()
    expect(t.shown()).toBe('\nApprove the push (transaction tx-1) on the authenticator and tap the number 42, ' +
      'then press Enter — or type skip.\n> ')
    t.input.write('\n')
    await approved
  })

  it('otp returns the typed line exactly, without the line ending', async () => {
    const t = terminal()
    const first = t.driver.otp!('tx-2', PUSH)
    await t.settle()
    t.input.write('  12 34 \r\n')
    expect(await first).toBe('  12 34 ')
    const second = t.driver.otp!('tx-3', PUSH)
    await t.settle()
    t.input.write('AbC\n')
    expect(await second).toBe('AbC')
  })

  it.each(['skip', ' SKIP ', 'Skip\r'])('the answer %j skips the check, naming the step', async (typed) => {
    const t = terminal()
    const steps = [
      ['approve', t.driver.approve!('tx-4', PUSH)],
      ['deny', t.driver.deny!('tx-5', PUSH)],
      ['otp', t.driver.otp!('tx-6', PUSH)],
    ] as const
    for (const [operation, step] of steps) {
      await t.settle()
      t.input.write(`${typed}\n`)
      const skipped = await step.then(() => undefined, (e: unknown) => e)
      expect(skipped).toBeInstanceOf(DriverSkipped)
      expect(skipped).toMatchObject({ reason: `the person at the terminal skipped the ${operation} step` })
    }
  })

  it('asks one question at a time, in order; the next appears once the first is answered', async () => {
    const t = terminal()
    const approved = t.driver.approve!('tx-7', { check: 'a', loginHint: 'push@example.test' })
    const code = t.driver.otp!('tx-8', { check: 'b', loginHint: 'sms@example.test' })
    await t.settle()
    expect(t.fresh()).toMatch(/^\n\[a\] Approve .*\n> $/)
    t.input.write('\n')
    await approved
    await t.settle()
    expect(t.fresh()).toMatch(/^\n\[b\] Type the code .*\n> $/)
    t.input.write('123456\n')
    expect(await code).toBe('123456')
  })

  it('an aborted check withdraws its prompt with the signal\'s reason, and the next question is asked', async () => {
    const t = terminal()
    const check = new AbortController()
    const approved = t.driver.approve!('tx-9', { check: 'a', signal: check.signal })
    const code = t.driver.otp!('tx-10', { check: 'b' })
    await t.settle()
    t.fresh()
    const reason = new Error('the check timed out')
    check.abort(reason)
    await expect(approved).rejects.toBe(reason)
    await t.settle()
    // readline itself ends the withdrawn prompt's line.
    expect(t.fresh())
      .toMatch(/^\r?\n\[a\] Withdrawn: the check ended before the answer came\.\n\n\[b\] Type the code .*\n> $/)
    t.input.write('654321\n')
    expect(await code).toBe('654321')
  })

  it('a queued prompt whose check ends is withdrawn at once and never shown', async () => {
    const t = terminal()
    const first = t.driver.deny!('tx-11', { check: 'a' })
    const check = new AbortController()
    const queued = t.driver.deny!('tx-12', { check: 'b', signal: check.signal })
    const last = t.driver.deny!('tx-13', { check: 'c' })
    await t.settle()
    check.abort('interrupted')
    await expect(queued).rejects.toMatchObject({
      code: 'ERR_ABORTED', message: 'the prompt was withdrawn: the check ended', cause: 'interrupted',
    })
    t.input.write('\n')
    await first
    await t.settle()
    t.input.write('\n')
    await last
    expect(t.shown()).not.toContain('[b]')
    expect(t.shown()).toContain('[c] Deny')
  })

  it('a check already ended is not asked about', async () => {
    const t = terminal()
    const ended = AbortSignal.abort()
    await expect(t.driver.approve!('tx-14', { signal: ended })).rejects.toMatchObject({ name: 'AbortError' })
    await t.settle()
    expect(t.shown()).toBe('')
  })

  it('when the input ends, a pending prompt and every later one fail rather than wait forever', async () => {
    const t = terminal()
    const pending = t.driver.otp!('tx-15', PUSH)
    const queued = t.driver.deny!('tx-16', { ...PUSH, signal: new AbortController().signal })
    await t.settle()
    t.input.end()
    const failure = {
      code: 'ERR_DRIVER_FAILED', message: 'the terminal input ended before the prompt was answered',
    }
    await expect(pending).rejects.toMatchObject(failure)
    await expect(queued).rejects.toMatchObject(failure)
    await expect(t.driver.approve!('tx-17', {})).rejects.toMatchObject(failure)
  })

  it('close() ends the prompts', async () => {
    const t = terminal()
    const pending = t.driver.deny!('tx-18', {})
    await t.driver.close!()
    await expect(pending).rejects.toMatchObject({ code: 'ERR_DRIVER_FAILED' })
  })
})
