/**
 * What one check did, as the engine saw it (before grading, redaction and reports).
 * @module
 */
import type { Exchange } from '../http/exchange.js'
import type { StepVerdict } from './steps.js'

/**
 * `failed`: a step broke a requirement. `errored`: the check could not go on for a reason that blames no
 * requirement (no answer within the request timeout, the check's own time bound). `skipped`: it could not
 * run here, or could not judge (the message says which).
 */
export type OutcomeStatus = 'passed' | 'failed' | 'errored' | 'skipped'

export interface CheckOutcome {
  id: string
  title: string
  suite: string
  /** The ids the check declares. */
  requirements: readonly string[]
  status: OutcomeStatus
  /** The broken expectation, the error, the reason for skipping, or the notes of a passing check. */
  message: string
  /** Its verdict on each requirement it declares (and on any other it evaluated along the way). */
  steps: StepVerdict[]
  exchanges: Exchange[]
  /** Extra reproduction lines, e.g. the fast-check seed and path of a generated counterexample. */
  reproduction: string[]
  /** The exchanges that reproduce the failure, when a check chose them (a property's shrunk counterexample). */
  reproducedBy?: Exchange[]
  durationMs: number
}
