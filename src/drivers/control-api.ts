/**
 * `--control-url`: the target's test-control API (spec/control.openapi.yaml) plays the user, over
 * `{controlUrl}/transactions/{oob_code}/…`. A 501 means the target does not offer the operation: the check is
 * skipped, never failed; any other non-2xx answer is the driver failing.
 * @module
 */
import type { DriverOperation } from '../config/target.js'
import { OobConformanceError } from '../errors.js'
import { HttpClient, type HttpResponse } from '../http/client.js'
import { DriverSkipped, type Driver, type DriverCall } from './driver.js'

export interface ControlApiDefaults {
  timeoutMs: number
  maxResponseBytes: number
}

export function controlApiDriver(controlUrl: string, defaults: ControlApiDefaults): Driver {
  const base = controlUrl.replace(/\/+$/, '')
  let own: HttpClient | undefined
  async function call(
    operation: DriverOperation, oobCode: string, { http }: DriverCall, body?: object,
  ): Promise<HttpResponse> {
    // The check's own client records the call in its report; outside a check, one with the same bounds.
    const client = http ?? (own ??= new HttpClient({
      timeoutMs: defaults.timeoutMs, maxResponseBytes: defaults.maxResponseBytes,
    }))
    const res = await client.send({
      method: operation === 'otp' ? 'GET' : 'POST',
      url: `${base}/transactions/${encodeURIComponent(oobCode)}/${operation}`,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      operation: 'control',
    })
    if (res.status >= 200 && res.status < 300) return res
    if (res.status === 501) throw new DriverSkipped(`the test-control API does not support ${operation} (501)`)
    throw new OobConformanceError('ERR_DRIVER_FAILED',
      `the test-control API answered ${res.status} to ${operation} for oob_code ${oobCode}: ${res.text.slice(0, 120)}`)
  }
  return {
    async approve(oobCode, options) {
      await call('approve', oobCode, options,
        options.bindingCode === undefined ? undefined : { binding_code: options.bindingCode })
    },
    async deny(oobCode, options) {
      await call('deny', oobCode, options)
    },
    async otp(oobCode, options) {
      const res = await call('otp', oobCode, options)
      const otp = (res.json as { otp?: unknown } | undefined)?.otp
      if (typeof otp !== 'string') {
        throw new OobConformanceError('ERR_DRIVER_FAILED',
          `the test-control API's otp answer for oob_code ${oobCode} has no "otp" string: ${res.text.slice(0, 120)}`)
      }
      return otp
    },
    // Optional on real servers: one without it answers 501, and the check is skipped.
    async expire(oobCode, options) {
      await call('expire', oobCode, options)
    },
  }
}
