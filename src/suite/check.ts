/**
 * All the mechanics of a conformance check in one place, so a check file is a few lines naming its requirement
 * ids (like oauth4webapi's conformance runner). A check runs as a concurrent vitest test; its exchanges, notes and
 * reproduction travel to the CLI's reporter in the task's meta.
 * @module
 */
import { test, inject, type TestContext } from 'vitest'
import { setTimeout as sleep } from 'node:timers/promises'
import type { TargetConfig } from '../config/target.js'
import { HttpClient, type HttpResponse } from '../http/client.js'
import { Throttle } from '../http/throttle.js'
import type { Exchange } from '../results/model.js'
import { UserDriver } from './control.js'
import { expectOutcome } from './expect.js'
import { OobClient, type Transaction } from './oob.js'

export interface CheckMeta {
  id: string
  title: string
  requirements: string[]
  exchanges: Exchange[]
  notes: string[]
  /** Extra reproduction lines, e.g. the fast-check seed and path of a generated counterexample. */
  reproduction: string[]
}

declare module 'vitest' {
  interface ProvidedContext {
    target: TargetConfig
    /** Parallel vitest workers in this run; `--rate-limit` is shared between them. */
    workers: number
  }
}

declare module '@vitest/runner' {
  interface TaskMeta {
    oob?: CheckMeta
  }
}

export interface CheckContext {
  target: TargetConfig
  oob: OobClient
  http: HttpClient
  user: UserDriver
  /** Waits in real time, shown as progress; skips the check when the wait exceeds `--max-wait`. */
  wait(seconds: number, what: string): Promise<void>
  /** Ends `tx` now through the driver, or waits for its `expires_in` when the driver cannot. */
  expire(tx: Transaction): Promise<void>
  skip(reason: string): never
  /** A line for the report when the check passes ("3 pending polls, then tokens"). */
  note(message: string): void
  reproduce(line: string): void
  /** Fails unless `res` meets the requirement's expectation under the run's profile (status and error code). */
  expectOutcome(requirementId: string, res: HttpResponse, situation: string): void
  vitest: TestContext
}

export interface CheckOptions {
  /** An upper bound on the check's own running time besides real-time waits, in seconds (default 30). */
  timeoutSeconds?: number
}

let throttle: Throttle | undefined

function sharedThrottle(target: TargetConfig): Throttle | undefined {
  if (target.rateLimit === undefined) return undefined
  throttle ??= new Throttle(target.rateLimit / Math.max(1, inject('workers')))
  return throttle
}

/** Registers a check. `id` is `<suite>/<case>`; `requirements` are catalogue ids (`OOB-S-…`). */
export function check(id: string, title: string, requirements: string[], body: (c: CheckContext) => Promise<void>,
  options: CheckOptions = {}): void {
  const target = inject('target')
  const timeout = ((options.timeoutSeconds ?? 30) + target.maxWaitSeconds) * 1000
  test.concurrent(`${id} — ${title}`, { timeout }, async (vitest) => {
    const meta: CheckMeta = { id, title, requirements, exchanges: [], notes: [], reproduction: [] }
    vitest.task.meta.oob = meta
    const skip = (reason: string): never => vitest.skip(reason)
    const http = new HttpClient({
      timeoutMs: target.requestTimeoutMs,
      maxResponseBytes: target.maxResponseBytes,
      throttle: sharedThrottle(target),
      onExchange: (exchange) => meta.exchanges.push(exchange),
    })
    const user = new UserDriver(target, http, skip)
    const wait = async (seconds: number, what: string) => {
      if (seconds > target.maxWaitSeconds) {
        skip(`needs a ${Math.ceil(seconds)} s wait (${what}); --max-wait is ${target.maxWaitSeconds} s`)
      }
      await vitest.annotate(`waiting ${Math.ceil(seconds * 10) / 10} s: ${what}`, 'wait')
      await sleep(seconds * 1000)
    }
    await body({
      target,
      oob: new OobClient(target, http),
      http,
      user,
      wait,
      async expire(tx) {
        if (await user.expire(tx)) return
        const left = tx.expiresIn - (performance.now() - tx.receivedAt) / 1000
        await wait(Math.max(0, left) + 1, `oob_code expiry (expires_in ${tx.expiresIn} s)`)
      },
      skip,
      note: (message) => void meta.notes.push(message),
      reproduce: (line) => void meta.reproduction.push(line),
      expectOutcome: (requirementId, res, situation) => expectOutcome(res, requirementId, target.profile, situation),
      vitest,
    })
  })
}
