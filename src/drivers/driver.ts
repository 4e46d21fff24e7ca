/**
 * A driver plays the user's out-of-band part (DESIGN.md "The test-control API"). Any subset of the operations may
 * be missing; a check that needs a missing one is skipped with the reason, never passed. Drivers are called in
 * the engine's process: the control API, a person at the terminal, or a module of the user's.
 * @module
 */
import type { DriverOperation } from '../config/target.js'
import type { HttpClient } from '../http/client.js'

/** What the engine tells a driver about the request: which check asks, for which user, until when. */
export interface DriverCall {
  /** The check that needs the user, e.g. `flows/push-happy-path`. */
  check?: string
  /** The `login_hint` of the transaction's user. */
  loginHint?: string
  /** Aborted when the check ends (timeout, Ctrl-C); a driver that waits should stop waiting then. */
  signal?: AbortSignal
  /** The check's recording HTTP client: a driver that makes HTTP calls uses it so they appear in the report. */
  http?: HttpClient
}

export interface Driver {
  /** The user approves the push; for `transfer`, taps `bindingCode` (default: the right number). */
  approve?(oobCode: string, options: DriverCall & { bindingCode?: string }): Promise<void>
  deny?(oobCode: string, options: DriverCall): Promise<void>
  /** The one-time code the user received by SMS, voice or email. */
  otp?(oobCode: string, options: DriverCall): Promise<string>
  /** Ends the transaction's lifetime now. */
  expire?(oobCode: string, options: DriverCall): Promise<void>
  close?(): Promise<void>
}

export const DRIVER_OPERATIONS: readonly DriverOperation[] = ['approve', 'deny', 'otp', 'expire']

export function operationsOf(driver: Driver): DriverOperation[] {
  return DRIVER_OPERATIONS.filter((op) => typeof driver[op] === 'function')
}

/**
 * Thrown by a driver that will not play this part (a person answered "skip", an operation the target does not
 * offer): the check is skipped with `reason`, never passed or failed.
 */
export class DriverSkipped extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'DriverSkipped'
  }
}
