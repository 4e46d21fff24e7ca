/**
 * Per-step requirement verdicts. A check is a sequence of steps; a step that evaluates a requirement records
 * `passed` or `failed` for that id, and nothing else counts as evidence: a requirement a check merely lists is
 * not exercised. The first broken expectation ends the check and blames its own requirement only; the
 * requirements the check had not yet evaluated are *not reached*, blocked by it.
 *
 * The recorder of the running check is found through `AsyncLocalStorage`, so helpers (`expectTokens`, a
 * property's predicate, the contract check of a generated response) record steps without being handed it.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks'

export type StepStatus = 'passed' | 'failed' | 'not-reached' | 'not-judged' | 'skipped'

/** What one check established about one requirement. */
export interface StepVerdict {
  requirement: string
  status: StepStatus
  /** The broken expectation, the reason it was not judged or skipped, or the first passing observation. */
  message: string
  /** How many steps evaluated the requirement and held (a property check evaluates it once per request). */
  passes: number
  /** For `not-reached`: the requirement whose failure stopped the check first. */
  blockedBy?: string
}

/** A broken expectation: the check ends, blaming `requirement`. */
export class RequirementFailure extends Error {
  constructor(readonly requirement: string, message: string) {
    super(message)
    this.name = 'RequirementFailure'
  }
}

/**
 * The step could not be judged (the machine did not keep the schedule, the check's own delay let the code
 * expire): the check ends, and `requirement` (or, without one, every requirement not yet evaluated) is
 * reported *not judged* with the reason, never passed or failed.
 */
export class NotJudged extends Error {
  constructor(readonly reason: string, readonly requirement?: string) {
    super(reason)
    this.name = 'NotJudged'
  }
}

/** The check cannot run here (a driver operation missing, a wait over `--max-wait`, …): skipped with the reason. */
export class CheckSkipped extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'CheckSkipped'
  }
}

export interface StepListener {
  (requirement: string, status: 'passed' | 'failed', message: string): void
}

/** The steps of one check run. */
export class StepRecorder {
  private readonly verdicts = new Map<string, StepVerdict>()

  /** `applies`: whether a requirement applies under the run's profile (a step of one that does not is not judged). */
  constructor(private readonly onStep?: StepListener, readonly applies: (requirement: string) => boolean = () => true) {}

  pass(requirement: string, message: string): void {
    const verdict = this.verdicts.get(requirement)
    if (verdict === undefined) {
      this.verdicts.set(requirement, { requirement, status: 'passed', message, passes: 1 })
      this.onStep?.(requirement, 'passed', message)
    } else {
      verdict.passes++
    }
  }

  fail(requirement: string, message: string): void {
    const verdict = this.verdicts.get(requirement)
    this.verdicts.set(requirement, { requirement, status: 'failed', message, passes: verdict?.passes ?? 0 })
    this.onStep?.(requirement, 'failed', message)
  }

  /** Whether `requirement` already has a verdict of this check. */
  has(requirement: string): boolean {
    return this.verdicts.has(requirement)
  }

  /**
   * The check's verdicts once it ended: every declared requirement without a step gets `status` (not reached,
   * not judged or skipped) with `message`; steps on requirements the check did not declare are kept.
   */
  finish(declared: readonly string[], rest?: { status: Exclude<StepStatus, 'passed' | 'failed'>; message: string;
    blockedBy?: string; only?: string }): StepVerdict[] {
    if (rest) {
      const ids = rest.only !== undefined ? [rest.only] : declared
      for (const requirement of ids) {
        if (this.verdicts.has(requirement)) continue
        this.verdicts.set(requirement, {
          requirement, status: rest.status, message: rest.message, passes: 0,
          ...(rest.blockedBy !== undefined && { blockedBy: rest.blockedBy }),
        })
      }
    }
    const order = [...declared, ...[...this.verdicts.keys()].filter((id) => !declared.includes(id))]
    return order.map((id) => this.verdicts.get(id)).filter((v): v is StepVerdict => v !== undefined)
  }
}

const current = new AsyncLocalStorage<StepRecorder>()

/** Runs `body` with `recorder` receiving the steps of every helper it calls. */
export function withSteps<T>(recorder: StepRecorder, body: () => Promise<T>): Promise<T> {
  return current.run(recorder, body)
}

function recorder(): StepRecorder | undefined {
  return current.getStore()
}

/** Records that `requirement` was evaluated and held. */
export function pass(requirement: string, message = 'held'): void {
  recorder()?.pass(requirement, message)
}

/** Records the broken expectation and ends the check, blaming `requirement` only. */
export function fail(requirement: string, message: string): never {
  const rec = recorder()
  if (rec && !rec.applies(requirement)) {
    throw new NotJudged(`${message} — but ${requirement} does not apply under this profile`, requirement)
  }
  rec?.fail(requirement, message)
  throw new RequirementFailure(requirement, message)
}

/** A step: passes `requirement` when `condition` holds, else fails it with `message` and ends the check. */
export function expect(requirement: string, condition: unknown, message: string | (() => string),
  passed = 'held'): asserts condition {
  if (condition) pass(requirement, passed)
  else fail(requirement, typeof message === 'function' ? message() : message)
}

/** Ends the check without a verdict on `requirement` (or on every requirement not yet evaluated). */
export function notJudged(reason: string, requirement?: string): never {
  throw new NotJudged(reason, requirement)
}

/** Ends the check as skipped. */
export function skip(reason: string): never {
  throw new CheckSkipped(reason)
}

/**
 * One step that evaluates several requirements on the same observation: every one is recorded, passed or
 * failed, and the check ends on the first that failed — so a response that breaks two requirements blames
 * both, and nothing else.
 */
export function expectEach(judgements: readonly (readonly [requirement: string, holds: boolean, message: string])[]): void {
  const rec = recorder()
  let first: RequirementFailure | undefined
  for (const [requirement, holds, message] of judgements) {
    if (holds) {
      rec?.pass(requirement, message)
    } else {
      rec?.fail(requirement, message)
      first ??= new RequirementFailure(requirement, message)
    }
  }
  if (first) throw first
}
