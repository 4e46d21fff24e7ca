/**
 * The engine's typed progress events: what the CLI prints, what the vitest adapter turns into tests, what a
 * programmatic caller may follow. Emitted in order for each check; checks interleave.
 * @module
 */
import type { CheckOutcome } from './outcome.js'

export type EngineEvent =
  | { type: 'run-start'; checks: number; concurrency: number }
  | { type: 'check-start'; id: string; title: string }
  | { type: 'wait'; id: string; seconds: number; what: string }
  | { type: 'step'; id: string; requirement: string; status: 'passed' | 'failed'; message: string }
  | { type: 'check-end'; outcome: CheckOutcome }
  | { type: 'run-end'; outcomes: readonly CheckOutcome[]; interrupted: boolean }

export type EngineListener = (event: EngineEvent) => void
