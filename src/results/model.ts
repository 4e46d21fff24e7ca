/**
 * The results model: what a run produced, check by check and rolled up per requirement.
 * `results.json` is this object serialised as is: its shape is a contract (DESIGN.md) other tools parse.
 * @module
 */

export type Level = 'MUST' | 'SHOULD' | 'MAY'
export type CheckStatus = 'passed' | 'failed' | 'warning' | 'skipped'
/** A requirement no check exercised in this run is `untested`. */
export type RequirementStatus = CheckStatus | 'untested'

export type { Exchange } from '../http/exchange.js'
import type { Exchange } from '../http/exchange.js'

/**
 * What a check established about one requirement (DESIGN.md "Verdicts rest on evidence"): `passed` only when a
 * step evaluated it and it held; `failed` only for the step whose expectation broke; `not-reached` when an
 * earlier step of the check failed (`blockedBy`); `not-judged` or `skipped` with the reason.
 */
export interface StepResult {
  requirement: string
  status: 'passed' | 'failed' | 'not-reached' | 'not-judged' | 'skipped'
  message: string
  /** How many steps evaluated the requirement and held. */
  passes: number
  blockedBy?: string
  /** Set when an expected-failures entry covers this failed step. */
  expectedFailure?: { reason: string; expires?: string }
}

export interface CheckResult {
  /** Stable id, `<suite>/<case>`, e.g. `flows/push-happy-path`. Expected-failures files key on it. */
  id: string
  title: string
  requirements: string[]
  /** The strongest level among the check's requirements. */
  level: Level
  status: CheckStatus
  /** Why it failed, warned or was skipped; a short confirmation when it passed. */
  message: string
  /** curl commands reproducing the failing exchange(s), plus the fast-check seed/path for generated cases. */
  reproduction: string | null
  durationMs: number
  /** Extra detail for the HTML report: the full transcript of the check's exchanges. */
  transcript?: Exchange[]
  /** Set when an expected-failures entry turned a failure into a warning. */
  expectedFailure?: { reason: string; expires?: string }
  /** Per-requirement verdicts of the check's steps; without them every listed requirement takes the check's status. */
  steps?: StepResult[]
  /** The check could not go on for a reason that blames no requirement (no answer in time, its own time bound). */
  errored?: boolean
}

export interface RequirementResult {
  id: string
  level: Level
  status: RequirementStatus
  /** Ids of the checks that evaluated this requirement or were meant to. */
  checks: string[]
  title?: string
  /** How many steps evaluated it and held, across the run. */
  passes?: number
  /** Why it is not passed: the broken expectation, or why no check could judge it. */
  reason?: string
}

/** `incomplete`: no MUST failed, but an in-scope MUST was not exercised (see `completeness`). */
export type RunVerdict = 'passed' | 'failed' | 'incomplete'

export interface Completeness {
  /** MUST requirements the run's checks set out to judge. */
  mustInScope: number
  /** Of those, how many some step evaluated. */
  mustExercised: number
  /** The others, each with why it was not exercised. */
  notExercised: { id: string; reason: string }[]
}

export interface RunSummary {
  passed: number
  failed: number
  warnings: number
  skipped: number
}

export interface RunResults {
  tool: { name: 'oob-conformance'; version: string }
  /** Base URL of the server under test (or of the scripted mock for client-check). */
  target: string
  profile: 'okta' | 'rfc'
  seed: number
  startedAt: string
  durationMs: number
  /** `failed` when a MUST failed (or a SHOULD under --strict); `incomplete` when an in-scope MUST was not exercised. */
  verdict: RunVerdict
  summary: RunSummary
  checks: CheckResult[]
  requirements: RequirementResult[]
  completeness: Completeness
  /** Set when the run ran one shard of the checks (`--shard index/count`); merged reports leave it out. */
  shard?: { index: number; count: number }
  /** Set when the run was stopped (Ctrl-C, SIGTERM) before every check finished: those are skipped. */
  interrupted?: true
}
