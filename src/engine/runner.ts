/**
 * Runs checks in this process: a concurrency limit, an `AbortSignal` per check (its time bound, Ctrl-C), one
 * throttle and one 429 policy for the whole run, typed events, and per-step verdicts. The exchange graders
 * (the schema suite) run last, over every exchange the checks received.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { TargetConfig } from '../config/target.js'
import type { Driver } from '../drivers/driver.js'
import { HttpClient } from '../http/client.js'
import { RateLimitPolicy } from '../http/rate-limit.js'
import type { Exchange } from '../http/exchange.js'
import { Throttle } from '../http/throttle.js'
import type { Profile } from '../profile.js'
import { loadRequirements } from '../requirements/index.js'
import type { CheckContext, CheckDefinition } from './check.js'
import { Deadline } from './deadline.js'
import type { EngineListener } from './events.js'
import { runExchangeGraders, type ExchangeGrader } from './exchange-grader.js'
import { expectOutcome } from './expect.js'
import { OobClient } from './oob.js'
import type { CheckOutcome } from './outcome.js'
import { CheckSkipped, NotJudged, RequirementFailure, StepRecorder, skip, withSteps, type StepVerdict } from './steps.js'
import { UserDriver } from './user.js'

/** Whether `requirement` applies under `profile`; an id the catalogue lacks is left to the roll-up to reject. */
function applies(requirement: string, profile: Profile): boolean {
  const catalogue = loadRequirements()
  return catalogue.get(requirement) === undefined || catalogue.levelFor(requirement, profile) !== undefined
}

export interface RunOptions {
  checks: readonly CheckDefinition[]
  graders?: readonly ExchangeGrader[]
  target: TargetConfig
  /** Plays the user; without one, checks that need the user are skipped with the reason. */
  driver?: Driver
  /** Checks running at once (default 8): most of a check's time is spent waiting on the server's clock. */
  concurrency?: number
  /** Interrupts the run (Ctrl-C): running checks are aborted, the rest are not started. */
  signal?: AbortSignal
  onEvent?: EngineListener
}

export interface RunOutcome {
  outcomes: CheckOutcome[]
  interrupted: boolean
  /** How often and how long a 429 paused the whole run. */
  rateLimited: { pauses: number; pausedMs: number }
}

const DEFAULT_CONCURRENCY = 8

export async function runChecks(options: RunOptions): Promise<RunOutcome> {
  const { target } = options
  const emit: EngineListener = options.onEvent ?? (() => {})
  const shared = {
    throttle: target.rateLimit === undefined ? undefined : new Throttle(target.rateLimit),
    rateLimit: new RateLimitPolicy(),
  }
  const checks = options.checks.filter((c) => c.options.profile === undefined || c.options.profile === target.profile)
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY
  emit({ type: 'run-start', checks: checks.length, concurrency })
  const outcomes: CheckOutcome[] = new Array(checks.length)
  let next = 0
  const lane = async () => {
    while (next < checks.length) {
      const index = next++
      const definition = checks[index]!
      outcomes[index] = options.signal?.aborted
        ? interruptedBeforeStart(definition)
        : await runOne(definition, { ...options, emit, shared })
      emit({ type: 'check-end', outcome: outcomes[index]! })
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, checks.length) }, lane))
  const interrupted = options.signal?.aborted ?? false
  if (options.graders && options.graders.length > 0) {
    const graded = runExchangeGraders(options.graders, outcomes, target.profile)
    for (const outcome of graded) emit({ type: 'check-end', outcome })
    outcomes.push(...graded)
  }
  emit({ type: 'run-end', outcomes, interrupted })
  return { outcomes, interrupted, rateLimited: { pauses: shared.rateLimit.pauses, pausedMs: shared.rateLimit.pausedMs } }
}

interface RunContext extends RunOptions {
  emit: EngineListener
  shared: { throttle?: Throttle; rateLimit: RateLimitPolicy }
}

function interruptedBeforeStart(definition: CheckDefinition): CheckOutcome {
  const message = 'not run: the run was interrupted'
  return {
    id: definition.id, title: definition.title, suite: definition.suite, requirements: definition.requirements,
    status: 'skipped', message, exchanges: [], reproduction: [], durationMs: 0,
    steps: definition.requirements.map((requirement) => ({ requirement, status: 'skipped', message, passes: 0 })),
  }
}

async function runOne(definition: CheckDefinition, run: RunContext): Promise<CheckOutcome> {
  const { target } = run
  const { id } = definition
  run.emit({ type: 'check-start', id, title: definition.title })
  const started = performance.now()
  const timeoutSeconds = (definition.options.timeoutSeconds ?? 30) + target.maxWaitSeconds
  // The bound stands still while the driver plays the user: a person's answer has no time limit.
  const deadline = new Deadline(timeoutSeconds * 1000)
  const timedOut = deadline.signal
  const signal = run.signal ? AbortSignal.any([timedOut, run.signal]) : timedOut
  const exchanges: Exchange[] = []
  const notes: string[] = []
  const reproduction: string[] = []
  let reproducedBy: Exchange[] | undefined
  const http = new HttpClient({
    timeoutMs: target.requestTimeoutMs,
    maxResponseBytes: target.maxResponseBytes,
    throttle: run.shared.throttle,
    rateLimit: run.shared.rateLimit,
    signal,
    onExchange: (exchange) => void exchanges.push(exchange),
  })
  const user = new UserDriver(run.driver, { check: id, signal, http }, deadline)
  const recorder = new StepRecorder((requirement, status, message) =>
    run.emit({ type: 'step', id, requirement, status, message }), (requirement) => applies(requirement, target.profile))
  const wait = async (seconds: number, what: string) => {
    if (seconds > target.maxWaitSeconds) {
      skip(`needs a ${Math.ceil(seconds)} s wait (${what}); --max-wait is ${target.maxWaitSeconds} s`)
    }
    run.emit({ type: 'wait', id, seconds, what })
    await sleep(seconds * 1000, undefined, { signal })
  }
  const context: CheckContext = {
    target, http, user, signal, wait,
    oob: new OobClient(target, http),
    async expire(tx) {
      if (await user.expire(tx)) return
      const left = tx.expiresIn - (performance.now() - tx.receivedAt) / 1000
      await wait(Math.max(0, left) + 1, `oob_code expiry (expires_in ${tx.expiresIn} s)`)
    },
    skip,
    note: (message) => void notes.push(message),
    reproduce: (line) => void reproduction.push(line),
    reproduceWith: (chosen) => void (reproducedBy = [...chosen]),
    exchanges: () => exchanges,
    expectOutcome: (requirementId, res, situation) => expectOutcome(res, requirementId, target.profile, situation),
  }
  const end = (status: CheckOutcome['status'], message: string, steps: StepVerdict[]): CheckOutcome => ({
    id, title: definition.title, suite: definition.suite, requirements: definition.requirements, status,
    message, steps, exchanges, reproduction, durationMs: Math.round(performance.now() - started),
    ...(reproducedBy !== undefined && { reproducedBy }),
  })
  const declared = definition.requirements
  try {
    // A body that ignores its signal (a hung library call) still ends on time; whatever it does later is dropped.
    const body = withSteps(recorder, () => definition.body(context))
    const stop = aborted(signal)
    body.catch(() => {})
    stop.catch(() => {})
    await Promise.race([body, stop])
    const steps = recorder.finish(declared, { status: 'not-judged', message: 'no step of this check evaluated it' })
    const failed = steps.find((s) => s.status === 'failed')
    if (failed) return end('failed', failed.message, steps)
    return end('passed', notes.join('; ') || 'passed', steps)
  } catch (e) {
    if (e instanceof RequirementFailure) {
      // A failure thrown outside the check's async context (a provider state set up by Pact's verifier).
      if (!recorder.has(e.requirement)) recorder.fail(e.requirement, e.message)
      const steps = recorder.finish(declared, {
        status: 'not-reached', message: `not reached: ${e.requirement} failed first`, blockedBy: e.requirement,
      })
      return end('failed', e.message, steps)
    }
    if (e instanceof CheckSkipped) {
      return end('skipped', e.reason, recorder.finish(declared, { status: 'skipped', message: e.reason }))
    }
    if (e instanceof NotJudged) {
      const message = `not judged: ${e.reason}`
      const steps = recorder.finish(declared, { status: 'not-judged', message })
      return end('skipped', message, steps)
    }
    if (run.signal?.aborted) {
      const message = 'interrupted: the run was stopped'
      return end('skipped', message, recorder.finish(declared, { status: 'skipped', message }))
    }
    const message = timedOut.aborted
      ? `did not finish within its time bound (${timeoutSeconds} s)`
      : firstLine((e as Error)?.message ?? String(e))
    return end('errored', message, recorder.finish(declared, { status: 'not-judged', message: `not judged: ${message}` }))
  } finally {
    deadline.clear()
  }
}

/** Rejects with the signal's reason once it aborts. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason)
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
}

function firstLine(text: string, max = 400): string {
  // A bare CR counts too: a server's CRLF page quoted in a message would otherwise rewind the terminal line.
  const line = text.split(/\r\n|\r|\n/).find((l) => l.trim().length > 0) ?? text
  return line.length > max ? line.slice(0, max) + '…' : line
}
