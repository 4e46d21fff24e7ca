/**
 * A module driver for the CLI test: plays the user through the reference server's own test-control API, whose
 * base URL arrives in OOB_FIXTURE_CONTROL_URL. `check --driver` serves it to the checks over its bridge.
 */
const controlUrl = process.env.OOB_FIXTURE_CONTROL_URL

async function call(method, oobCode, operation, body) {
  const res = await fetch(`${controlUrl}/transactions/${encodeURIComponent(oobCode)}/${operation}`, {
    method,
    ...(body !== undefined && {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  })
  if (!res.ok) throw new Error(`${operation}: the control API answered ${res.status} ${await res.text()}`)
  return res
}

export async function approve(oobCode, { bindingCode }) {
  const body = bindingCode === undefined ? undefined : { binding_code: bindingCode }
  await call('POST', oobCode, 'approve', body)
}

export async function deny(oobCode) {
  await call('POST', oobCode, 'deny')
}

export async function otp(oobCode) {
  return (await (await call('GET', oobCode, 'otp')).json()).otp
}

export async function expire(oobCode) {
  await call('POST', oobCode, 'expire')
}
