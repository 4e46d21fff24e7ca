import { describe, it, expect } from 'vitest'
import { loadPacts, slug } from '../../src/pact/pact-file.js'
import { PROFILES } from '../../src/profile.js'
import { committedPact } from '../../suites/pact/consumer/cases.js'
import { checkTarget } from '../self/check-run.js'

const RUN_TIMEOUT_MS = 120_000

// `check --suites pact` as users run it (the built CLI), on the committed pacts.
describe('check --suites pact', () => {
  it.concurrent.each(PROFILES)('verifies every interaction of the %s pact', async (profile) => {
    const { exitCode, results, output } = await checkTarget('reference', profile, ['--suites', 'pact'])
    const interactions = loadPacts(committedPact(profile))[0]!.pact.interactions
    expect(results.checks.map((c) => [c.id, c.status]).sort())
      .toEqual(interactions.map((i) => [`pact/${slug(i.description)}`, 'passed']).sort())
    expect(exitCode, output).toBe(0)
  }, RUN_TIMEOUT_MS)

  it.concurrent('fails the interaction a defect breaks, with its requirement and reproduction', async () => {
    const { exitCode, results } = await checkTarget('denial-pending-forever', 'okta', ['--suites', 'pact'])
    const failed = results.checks.filter((c) => c.status === 'failed')
    expect(failed.map((c) => c.id)).toEqual(['pact/push-poll-after-denial'])
    expect(failed[0]!.message).toContain('(the server answered 400 authorization_pending)')
    // The reproduction script plays the user's denial through the control URL, on the code it started.
    const deny = '-X \'POST\' "${OOB_CONTROL_URL}/transactions/${oob_code_1}/deny"'
    expect(failed[0]!.reproduction).toContain('# 2. the user\'s part, through the test-control API — the run got 204')
    expect(failed[0]!.reproduction).toContain(deny)
    expect(results.requirements.find((r) => r.id === 'OOB-S-DENIAL-ERROR')?.status).toBe('failed')
    expect(exitCode).toBe(1)
  }, RUN_TIMEOUT_MS)
})
