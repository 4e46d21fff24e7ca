/**
 * The authoring surface of a conformance check (like oauth4webapi's conformance modules: one small file per
 * case, every mechanic here and in the runner). `check(id, title, requirements, body)` registers the check when
 * its module is imported; the runner runs it with a context: the target, a recording HTTP client, the OOB
 * protocol as checks speak it, the user's part, bounded waits, and steps that record requirement verdicts.
 * @module
 */
import type { TargetConfig } from '../config/target.js'
import type { HttpClient, HttpResponse } from '../http/client.js'
import type { Profile } from '../profile.js'
import type { Exchange } from '../http/exchange.js'
import type { OobClient, Transaction } from './oob.js'
import type { UserDriver } from './user.js'

export interface CheckContext {
  target: TargetConfig
  oob: OobClient
  http: HttpClient
  user: UserDriver
  /** Aborted when the check times out or the run is interrupted. */
  signal: AbortSignal
  /** Waits in real time, shown as progress; skips the check when the wait exceeds `--max-wait`. */
  wait(seconds: number, what: string): Promise<void>
  /** Ends `tx` now through the driver, or waits for its `expires_in` when the driver cannot. */
  expire(tx: Transaction): Promise<void>
  skip(reason: string): never
  /** A line for the report when the check passes ("3 pending polls, then tokens"). */
  note(message: string): void
  reproduce(line: string): void
  /** The exchanges that reproduce the failure (a shrunk counterexample's run), instead of the check's last ones. */
  reproduceWith(exchanges: readonly Exchange[]): void
  /** The exchanges of this check so far (secrets not yet redacted). */
  exchanges(): readonly Exchange[]
  /** A step: passes `requirementId` when `res` meets its expectation under the run's profile, else fails it. */
  expectOutcome(requirementId: string, res: HttpResponse, situation: string): void
}

export interface CheckOptions {
  /** An upper bound on the check's own running time besides real-time waits, in seconds (default 30). */
  timeoutSeconds?: number
  /** Only under this profile (e.g. a pact of that profile); default every profile. */
  profile?: Profile
}

export interface CheckDefinition {
  /** `<suite>/<case>`, e.g. `flows/push-happy-path`. */
  id: string
  title: string
  /** Catalogue ids the check can evaluate, written out in full. */
  requirements: readonly string[]
  body: (c: CheckContext) => Promise<void>
  options: CheckOptions
  /** The suite: the part of `id` before the first `/`. */
  suite: string
}

const registry: CheckDefinition[] = []

/** Registers a check. `id` is `<suite>/<case>`; `requirements` are catalogue ids (`OOB-S-…`). */
export function check(id: string, title: string, requirements: readonly string[],
  body: (c: CheckContext) => Promise<void>, options: CheckOptions = {}): void {
  if (registry.some((c) => c.id === id && c.options.profile === options.profile)) {
    throw new Error(`check ${id} is registered twice`)
  }
  registry.push({ id, title, requirements, body, options, suite: id.split('/')[0]! })
}

/** Every check registered so far, in registration order. */
export function registeredChecks(): readonly CheckDefinition[] {
  return registry
}
