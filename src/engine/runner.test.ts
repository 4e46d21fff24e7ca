import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolveCheckConfig } from '../config/resolve.js'
import { DriverSkipped } from '../drivers/driver.js'
import type { CheckContext, CheckDefinition } from './check.js'
import type { EngineEvent } from './events.js'
import { runChecks } from './runner.js'
import { expect as step, fail, notJudged, pass } from './steps.js'

const target = resolveCheckConfig({ baseUrl: 'https://as.example', seed: 1, maxWait: '5' }, {}).target

function definition(id: string, requirements: string[], body: (c: CheckContext) => Promise<void>,
  options: CheckDefinition['options'] = {}): CheckDefinition {
  return { id, title: id, requirements, body, options, suite: id.split('/')[0]! }
}

describe('runChecks: per-step verdicts', () => {
  it('passes what a step evaluated; a listed requirement no step evaluated is not judged, never passed', async () => {
    const { outcomes } = await runChecks({ target, checks: [definition('flows/a', ['OOB-S-POLL-PENDING', 'OOB-S-DENIAL-FINAL'],
      async () => step('OOB-S-POLL-PENDING', true, 'never shown', 'pending as expected'))] })
    expect(outcomes[0]).toMatchObject({ status: 'passed', steps: [
      { requirement: 'OOB-S-POLL-PENDING', status: 'passed', message: 'pending as expected', passes: 1 },
      { requirement: 'OOB-S-DENIAL-FINAL', status: 'not-judged', message: 'no step of this check evaluated it' },
    ] })
  })

  it('blames only the broken step; what the check had not evaluated yet is not reached, blocked by it', async () => {
    const { outcomes } = await runChecks({ target, checks: [definition('flows/b',
      ['OOB-S-INIT-RESPONSE-FIELDS', 'OOB-S-POLL-PENDING', 'OOB-S-TOKENS-AFTER-APPROVAL'], async () => {
        pass('OOB-S-INIT-RESPONSE-FIELDS')
        fail('OOB-S-POLL-PENDING', 'a poll before the user acted: got 200 with tokens')
      })] })
    expect(outcomes[0]).toMatchObject({ status: 'failed', message: 'a poll before the user acted: got 200 with tokens' })
    expect(outcomes[0]!.steps.map((s) => [s.requirement, s.status, s.blockedBy])).toEqual([
      ['OOB-S-INIT-RESPONSE-FIELDS', 'passed', undefined],
      ['OOB-S-POLL-PENDING', 'failed', undefined],
      ['OOB-S-TOKENS-AFTER-APPROVAL', 'not-reached', 'OOB-S-POLL-PENDING'],
    ])
  })

  it('skips, ends unjudged, or errors without blaming any requirement', async () => {
    const { outcomes } = await runChecks({ target, checks: [
      definition('flows/skip', ['OOB-S-POLL-PENDING'], async (c) => c.skip('needs a 90 s wait')),
      definition('flows/late', ['OOB-S-POLL-PENDING'], async () => notJudged('the machine did not keep the schedule')),
      definition('flows/error', ['OOB-S-POLL-PENDING'], async () => {
        throw new Error('POST https://as.example/token: no complete response within 10 s')
      }),
      definition('flows/user', ['OOB-S-DENIAL-ERROR'], async (c) => c.user.deny({ oobCode: 'x' } as never)),
    ] })
    expect(outcomes.map((o) => [o.id, o.status, o.message, o.steps[0]!.status])).toEqual([
      ['flows/skip', 'skipped', 'needs a 90 s wait', 'skipped'],
      ['flows/late', 'skipped', 'not judged: the machine did not keep the schedule', 'not-judged'],
      ['flows/error', 'errored', 'POST https://as.example/token: no complete response within 10 s', 'not-judged'],
      ['flows/user', 'skipped', 'needs the user to deny: give --control-url or --driver', 'skipped'],
    ])
  })

  it('calls the driver in-process with the check and the user; a driver that declines skips the check', async () => {
    const calls: unknown[] = []
    const driver = {
      async approve(oobCode: string, call: { check?: string; loginHint?: string; bindingCode?: string }) {
        calls.push([oobCode, call.check, call.loginHint, call.bindingCode])
      },
      async deny() {
        throw new DriverSkipped('the person at the terminal skipped the deny step')
      },
    }
    const tx = { oobCode: 'abc', loginHint: 'number@example.test' } as never
    const { outcomes } = await runChecks({ target, driver, checks: [
      definition('flows/approve', ['OOB-S-TOKENS-AFTER-APPROVAL'], async (c) => {
        await c.user.approve(tx, '42')
        pass('OOB-S-TOKENS-AFTER-APPROVAL')
      }),
      definition('flows/deny', ['OOB-S-DENIAL-ERROR'], async (c) => c.user.deny(tx)),
      definition('flows/otp', ['OOB-S-PROMPT-CORRECT-CODE'], async (c) => void await c.user.otp(tx)),
    ] })
    expect(calls).toEqual([['abc', 'flows/approve', 'number@example.test', '42']])
    expect(outcomes.map((o) => [o.status, o.message])).toEqual([
      ['passed', 'passed'],
      ['skipped', 'the person at the terminal skipped the deny step'],
      ['skipped', 'needs the user to otp, which the driver cannot do'],
    ])
  })

  it('ends a check that outlives its time bound as an error, and a wait over --max-wait as a skip', async () => {
    const { outcomes } = await runChecks({ target: { ...target, maxWaitSeconds: 0 }, checks: [
      definition('flows/slow', ['OOB-S-POLL-PENDING'], async () => new Promise(() => {}), { timeoutSeconds: 0.2 }),
      definition('flows/wait', ['OOB-S-POLL-PENDING'], async (c) => c.wait(1, 'the polling interval')),
    ] })
    expect(outcomes.map((o) => [o.status, o.message])).toEqual([
      ['errored', 'did not finish within its time bound (0.2 s)'],
      ['skipped', 'needs a 1 s wait (the polling interval); --max-wait is 0 s'],
    ])
  })
})

describe('runChecks: the run', () => {
  it('keeps to the concurrency limit and emits typed events in order', async () => {
    let running = 0
    let most = 0
    const body = async (c: CheckContext) => {
      most = Math.max(most, ++running)
      await c.wait(0.02, 'a moment')
      running--
      pass('OOB-S-POLL-PENDING')
    }
    const events: EngineEvent[] = []
    const checks = Array.from({ length: 7 }, (_, i) => definition(`flows/c${i}`, ['OOB-S-POLL-PENDING'], body))
    const { outcomes } = await runChecks({ target, checks, concurrency: 3, onEvent: (e) => events.push(e) })
    expect(most).toBe(3)
    expect(outcomes.map((o) => o.status)).toEqual(Array(7).fill('passed'))
    expect(events[0]).toEqual({ type: 'run-start', checks: 7, concurrency: 3 })
    expect(events.at(-1)).toMatchObject({ type: 'run-end', interrupted: false })
    const first = events.filter((e) => 'id' in e && e.id === 'flows/c0').map((e) => e.type)
    expect(first).toEqual(['check-start', 'wait', 'step'])
    expect(events.filter((e) => e.type === 'check-end')).toHaveLength(7)
  })

  it('an interrupt skips the running checks and starts no more', async () => {
    const interrupt = new AbortController()
    const checks = Array.from({ length: 4 }, (_, i) => definition(`flows/i${i}`, ['OOB-S-POLL-PENDING'], async (c) => {
      setTimeout(() => interrupt.abort(), 10)
      await c.wait(5, 'the polling interval')
    }))
    const run = await runChecks({ target, checks, concurrency: 2, signal: interrupt.signal })
    expect(run.interrupted).toBe(true)
    expect(run.outcomes.map((o) => o.message)).toEqual([
      'interrupted: the run was stopped', 'interrupted: the run was stopped',
      'not run: the run was interrupted', 'not run: the run was interrupted',
    ])
    expect(run.outcomes.every((o) => o.status === 'skipped')).toBe(true)
  })

  describe('one 429 policy for the whole run', () => {
    let server: Server
    let url: string
    let limited = false
    const arrivals: number[] = []
    beforeAll(async () => {
      server = createServer((_req, res) => {
        arrivals.push(Date.now())
        if (!limited) {
          limited = true
          res.writeHead(429, { 'retry-after': '1' }).end()
        } else {
          res.end('ok')
        }
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    })
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

    it('a 429 with Retry-After pauses every check, not only the one that got it', async () => {
      const send = (delay: number) => async (c: CheckContext) => {
        await c.wait(delay, 'a moment')
        const res = await c.http.send({ url })
        step('OOB-S-POLL-PENDING', res.status === 200, `got ${res.status}`)
      }
      const started = Date.now()
      const run = await runChecks({ target, checks: [
        definition('flows/first', ['OOB-S-POLL-PENDING'], send(0)),
        definition('flows/second', ['OOB-S-POLL-PENDING'], send(0.2)),
      ] })
      expect(run.outcomes.map((o) => o.status)).toEqual(['passed', 'passed'])
      expect(run.rateLimited.pauses).toBe(1)
      // The second check's only request waited for the first one's Retry-After, though it never saw a 429.
      expect(arrivals).toHaveLength(3)
      expect(Math.min(arrivals[1]!, arrivals[2]!) - started).toBeGreaterThanOrEqual(900)
    })
  })
})

describe('runChecks: a person playing the user', () => {
  it('the check\'s time bound stands still while the driver waits for an answer', async () => {
    const driver = {
      // A person who takes longer to answer than the whole check may run.
      approve: () => new Promise<void>((resolve) => setTimeout(resolve, 400)),
    }
    const { outcomes } = await runChecks({ target: { ...target, maxWaitSeconds: 0 }, driver, checks: [
      definition('flows/slow-person', ['OOB-S-TOKENS-AFTER-APPROVAL'], async (c) => {
        await c.user.approve({ oobCode: 'x', loginHint: 'push@example.test' } as never)
        pass('OOB-S-TOKENS-AFTER-APPROVAL')
      }, { timeoutSeconds: 0.2 }),
    ] })
    expect(outcomes[0]).toMatchObject({ status: 'passed' })
  })
})
