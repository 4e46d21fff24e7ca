/**
 * Validation cost: microseconds per `loadContract().validateResponse` with the compiled ajv validators, for
 * the three responses a run validates most (token error, initiation 200, token 200), after a warm-up that
 * compiles them.
 * @module
 */
import { loadContract } from '../src/contract/index.js'
import type { OperationId, WireResponse } from '../src/contract/index.js'
import { load, median, print, repetitions, round } from './figure.js'

const ITERATIONS = 200_000
const REPETITIONS = repetitions(7)
const TARGET_US = 5

const jsonHeaders = { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' }
/** A JWT-shaped string: the validators only see its shape. */
const jwt = ['eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0', 'eyJzdWIiOiJwdXNoQGV4YW1wbGUudGVzdCJ9', 'c2lnbmF0dXJl']
  .join('.')

const CASES: Array<{ operation: OperationId; response: WireResponse }> = [
  {
    operation: 'token',
    response: {
      status: 400,
      headers: jsonHeaders,
      body: { error: 'authorization_pending', error_description: 'No user response yet. Continue polling.' },
    },
  },
  {
    operation: 'primaryAuthenticate',
    response: {
      status: 200,
      headers: jsonHeaders,
      body: { oob_code: 'ftQYrKb0G6Ckqf0mPd9_fvOjAd5TXzGr3fWoIXv3pI', expires_in: 300, interval: 5,
        channel: 'push', binding_method: 'none' },
    },
  },
  {
    operation: 'token',
    response: {
      status: 200,
      headers: jsonHeaders,
      body: { token_type: 'Bearer', expires_in: 3600, access_token: jwt, id_token: jwt,
        scope: 'openid profile offline_access', refresh_token: 'rt-5bd2d9d0b7a54d8c' },
    },
  },
]

const contract = loadContract()
for (const { operation, response } of CASES) {
  const problems = contract.validateResponse(operation, response, { profile: 'okta' })
  if (problems.length > 0) {
    throw new Error(`the sample ${operation} ${response.status} is invalid: ${problems[0]!.message}`)
  }
}

/**
 * µs per validation over one pass of ITERATIONS, in CPU time (which other jobs on the machine do not
 * inflate) and in wall time. Every sample must stay valid, or the pass throws.
 */
function pass(): { cpu: number; wall: number } {
  let problems = 0
  const cpu = process.cpuUsage()
  const wall = performance.now()
  for (let i = 0; i < ITERATIONS; i++) {
    const { operation, response } = CASES[i % CASES.length]!
    problems += contract.validateResponse(operation, response, { profile: 'okta' }).length
  }
  const { user, system } = process.cpuUsage(cpu)
  const wallUs = (performance.now() - wall) * 1000
  if (problems > 0) throw new Error(`${problems} problems in samples that were valid`)
  return { cpu: (user + system) / ITERATIONS, wall: wallUs / ITERATIONS }
}

pass()
const passes = Array.from({ length: REPETITIONS }, pass)
const us = median(passes.map((p) => p.cpu))
print([{
  name: 'response validation (CPU time)',
  measured: round(us, 2),
  unit: 'µs',
  target: `≤ ${TARGET_US} µs`,
  met: us <= TARGET_US,
  versus: `wall time ${round(median(passes.map((p) => p.wall)), 2)} µs per call`,
  how: `median of ${REPETITIONS} passes of ${ITERATIONS / 1000}k calls (token 400, initiation 200, ` +
    `token 200), after a warm-up pass; ${load()}`,
}])
