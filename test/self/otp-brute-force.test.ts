import { describe, it, expect, afterEach } from 'vitest'
import { resolveCheckConfig } from '../../src/config/resolve.js'
import { controlApiDriver } from '../../src/drivers/control-api.js'
import { loadSuites } from '../../src/engine/load.js'
import { runChecks } from '../../src/engine/runner.js'
import { startReferenceServer, type ReferenceServerOptions } from '../../src/reference-server/index.js'

/**
 * A per-client rate limit is not an OTP attempt limit (issue: the brute-force check passed because a generic
 * 429 arrived at the 8th wrong code). Behind a limit tight enough that the guesses trip it, the check waits the
 * 429s out and judges only whether the right code still works.
 */
const TIGHT = { rateLimit: { limit: 4, windowSeconds: 1 } } satisfies Partial<ReferenceServerOptions>
let close: (() => Promise<void>) | undefined
afterEach(async () => close?.())

async function bruteForce(options: Partial<ReferenceServerOptions>) {
  const server = await startReferenceServer({ interval: 1, expiresIn: 60, ...options })
  close = server.close
  const { target } = resolveCheckConfig({ baseUrl: server.url, seed: 1 }, {})
  const driver = controlApiDriver(`${server.url}/control`, { timeoutMs: 5000, maxResponseBytes: 65536 })
  const checks = (await loadSuites(['security'])).checks.filter((c) => c.id === 'security/otp-brute-force')
  const run = await runChecks({ target, driver, checks })
  const [outcome] = run.outcomes
  return { outcome: outcome!, pauses: run.rateLimited.pauses }
}

describe('security/otp-brute-force behind a tight rate limit', () => {
  it('fails OOB-S-OTP-BRUTE-FORCE when the code has no attempt limit, though 429s came', { timeout: 60_000 }, async () => {
    const { outcome, pauses } = await bruteForce({ ...TIGHT, otpMaxAttempts: Number.POSITIVE_INFINITY })
    expect(pauses).toBeGreaterThan(0)
    expect(outcome.status).toBe('failed')
    expect(outcome.steps.filter((s) => s.status === 'failed').map((s) => s.requirement)).toEqual(['OOB-S-OTP-BRUTE-FORCE'])
    expect(outcome.message).toMatch(/the right code still yields tokens: no attempt limit/)
  })

  it('passes when the code is locked after its attempts, the 429s waited out', { timeout: 60_000 }, async () => {
    const { outcome, pauses } = await bruteForce(TIGHT)
    expect(pauses).toBeGreaterThan(0)
    expect(outcome).toMatchObject({ status: 'passed' })
  })
})
