/**
 * The user's out-of-band part, seen from a check: the run's driver (test-control API, a person at the terminal,
 * a module), called in-process with the check's id, the transaction's user and the check's `AbortSignal`.
 * A missing operation, or a driver that declines, skips the check; a driver that breaks ends it unjudged.
 * @module
 */
import type { DriverOperation } from '../config/target.js'
import { DriverSkipped, operationsOf, type Driver, type DriverCall } from '../drivers/driver.js'
import type { HttpClient } from '../http/client.js'
import { CheckSkipped, notJudged, skip } from './steps.js'
import type { Transaction } from './oob.js'

export class UserDriver {
  private readonly operations: readonly DriverOperation[]

  constructor(
    private readonly driver: Driver | undefined,
    private readonly call: { check: string; signal: AbortSignal; http: HttpClient },
    /** The check's time bound, held while the driver plays the user. */
    private readonly clock?: { pause(): void; resume(): void },
  ) {
    this.operations = driver ? operationsOf(driver) : []
  }

  /** The same user whose driver calls `http` records instead: a property run keeps the user's part of its requests. */
  through(http: HttpClient): UserDriver {
    return new UserDriver(this.driver, { ...this.call, http }, this.clock)
  }

  supports(operation: DriverOperation): boolean {
    return this.operations.includes(operation)
  }

  async approve(tx: Transaction, bindingCode?: string): Promise<void> {
    await this.play('approve', tx, (d, call) => d.approve!(tx.oobCode, { ...call, ...(bindingCode !== undefined && { bindingCode }) }))
  }

  async deny(tx: Transaction): Promise<void> {
    await this.play('deny', tx, (d, call) => d.deny!(tx.oobCode, call))
  }

  async otp(tx: Transaction): Promise<string> {
    const otp: unknown = await this.play('otp', tx, (d, call) => d.otp!(tx.oobCode, call))
    if (typeof otp !== 'string' || otp.length === 0) {
      notJudged(`the driver's otp for oob_code ${tx.oobCode} is not a non-empty string (${typeof otp})`)
    }
    return otp
  }

  /** Ends the transaction now; returns false when the driver cannot (the caller may then wait instead). */
  async expire(tx: Transaction): Promise<boolean> {
    if (!this.supports('expire')) return false
    try {
      await this.play('expire', tx, (d, call) => d.expire!(tx.oobCode, call))
      return true
    } catch (e) {
      if (e instanceof CheckSkipped) return false
      throw e
    }
  }

  private async play<R>(operation: DriverOperation, tx: Transaction,
    act: (driver: Driver, call: DriverCall) => Promise<R>): Promise<R> {
    if (this.driver === undefined) skip(`needs the user to ${operation}: give --control-url or --driver`)
    if (!this.supports(operation)) skip(`needs the user to ${operation}, which the driver cannot do`)
    this.clock?.pause()
    try {
      return await act(this.driver, { ...this.call, loginHint: tx.loginHint })
    } catch (e) {
      if (e instanceof DriverSkipped) skip(e.reason)
      if (this.call.signal.aborted) throw e
      return notJudged(`the driver failed to ${operation} (oob_code ${tx.oobCode}): ${(e as Error)?.message ?? String(e)}`)
    } finally {
      this.clock?.resume()
    }
  }
}
