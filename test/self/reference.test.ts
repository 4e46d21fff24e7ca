import { describe, it, expect } from 'vitest'
import { PROFILES } from '../../src/profile.js'
import { checkTarget } from './check-run.js'

// The control group of the mutants: the same full run, against the server they are all one defect away from.
describe('check against the reference server', () => {
  it.concurrent.each(PROFILES)('passes every requirement under the %s profile', async (profile) => {
    const { exitCode, results, output } = await checkTarget('reference', profile)
    const notPassed = results.checks.filter((c) => c.status === 'failed' || c.status === 'warning')
      .map((c) => `${c.id} (${c.status}): ${c.message}`)
    expect(notPassed, output).toEqual([])
    expect(results.requirements.filter((r) => r.status === 'failed' || r.status === 'warning')).toEqual([])
    expect(results.profile).toBe(profile)
    // With the control API playing the user, every MUST the checks set out to judge is exercised.
    expect(results.completeness.notExercised).toEqual([])
    expect(results.verdict).toBe('passed')
    expect(exitCode).toBe(0)
  }, 300_000)
})
