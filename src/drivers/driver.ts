/**
 * A driver plays the user's out-of-band part (DESIGN.md "The test-control API"). Any subset of the operations may
 * be missing; a check that needs a missing one is skipped with the reason, never passed.
 * @module
 */
import type { DriverOperation } from '../config/target.js'

export interface Driver {
  /** The user approves the push; for `transfer`, taps `bindingCode` (default: the right number). */
  approve?(oobCode: string, options: { bindingCode?: string }): Promise<void>
  deny?(oobCode: string): Promise<void>
  /** The one-time code the user received by SMS, voice or email. */
  otp?(oobCode: string): Promise<string>
  /** Ends the transaction's lifetime now. */
  expire?(oobCode: string): Promise<void>
  close?(): Promise<void>
}

export const DRIVER_OPERATIONS: readonly DriverOperation[] = ['approve', 'deny', 'otp', 'expire']

export function operationsOf(driver: Driver): DriverOperation[] {
  return DRIVER_OPERATIONS.filter((op) => typeof driver[op] === 'function')
}
