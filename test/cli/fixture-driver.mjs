/**
 * A module driver for the CLI test: plays the user through the reference server's own test-control API, whose
 * base URL arrives in OOB_FIXTURE_CONTROL_URL, and logs each call (operation, check, user) as a JSON line to
 * OOB_FIXTURE_LOG. `check --driver` loads it and calls it in its own process.
 */
import { appendFileSync } from 'node:fs'

const controlUrl = process.env.OOB_FIXTURE_CONTROL_URL

async function call(method, oobCode, operation, options, body) {
  appendFileSync(process.env.OOB_FIXTURE_LOG, JSON.stringify({ operation, check: options.check, loginHint: options.loginHint }) + '\n')
  const res = await fetch(`${controlUrl}/transactions/${encodeURIComponent(oobCode)}/${operation}`, {
    method,
    signal: options.signal,
    ...(body !== undefined && {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  })
  if (!res.ok) throw new Error(`${operation}: the control API answered ${res.status} ${await res.text()}`)
  return res
}

export async function approve(oobCode, options) {
  const body = options.bindingCode === undefined ? undefined : { binding_code: options.bindingCode }
  await call('POST', oobCode, 'approve', options, body)
}

export async function deny(oobCode, options) {
  await call('POST', oobCode, 'deny', options)
}

export async function otp(oobCode, options) {
  return (await (await call('GET', oobCode, 'otp', options)).json()).otp
}

export async function expire(oobCode, options) {
  await call('POST', oobCode, 'expire', options)
}
