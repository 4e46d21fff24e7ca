/**
 * The user's out-of-band part, seen from a check: calls `{controlUrl}/transactions/{oob_code}/…` (the target's
 * test-control API, or the CLI's bridge to an interactive or module driver). A missing operation skips the check.
 * @module
 */
import type { HttpClient, HttpResponse } from '../http/client.js'
import type { DriverOperation, TargetConfig } from '../config/target.js'
import { fail } from './failure.js'
import type { Transaction } from './oob.js'

export class UserDriver {
  constructor(
    private readonly target: TargetConfig,
    private readonly http: HttpClient,
    private readonly skip: (reason: string) => never,
  ) {}

  supports(operation: DriverOperation): boolean {
    return this.target.controlUrl !== undefined && this.target.driverOperations.includes(operation)
  }

  async approve(tx: Transaction, bindingCode?: string): Promise<void> {
    await this.call('approve', tx, 'POST', bindingCode === undefined ? undefined : JSON.stringify({ binding_code: bindingCode }))
  }

  async deny(tx: Transaction): Promise<void> {
    await this.call('deny', tx, 'POST')
  }

  async otp(tx: Transaction): Promise<string> {
    const res = await this.call('otp', tx, 'GET')
    const otp = (res.json as { otp?: unknown } | undefined)?.otp
    if (typeof otp !== 'string') fail(`the control API's otp answer has no "otp" string: ${res.text.slice(0, 100)}`)
    return otp
  }

  /** Ends the transaction now; returns false when the driver cannot (the caller may then wait instead). */
  async expire(tx: Transaction): Promise<boolean> {
    if (!this.supports('expire')) return false
    const res = await this.call('expire', tx, 'POST', undefined, true)
    return res.status !== 501
  }

  private async call(operation: DriverOperation, tx: Transaction, method: 'GET' | 'POST', body?: string,
    tolerate501 = false): Promise<HttpResponse> {
    if (!this.supports(operation)) {
      this.skip(this.target.controlUrl === undefined
        ? `needs the user to ${operation}: give --control-url or --driver`
        : `needs the user to ${operation}, which the driver cannot do`)
    }
    const res = await this.http.send({
      method,
      url: `${this.target.controlUrl}/transactions/${encodeURIComponent(tx.oobCode)}/${operation}`,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body,
      operation: 'control',
    })
    if (res.status === 501 && !tolerate501) this.skip(`the driver does not support ${operation} (501)`)
    if (res.status >= 300 && !(res.status === 501 && tolerate501)) {
      fail(`the test-control API answered ${res.status} to ${operation} for oob_code ${tx.oobCode}: ${res.text.slice(0, 120)}`)
    }
    return res
  }
}
