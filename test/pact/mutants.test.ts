import { afterAll, beforeAll, describe, it, expect, vi, type MockInstance } from 'vitest'
import { mutants, profilesOf, type Mutant } from '../../fixtures/mutants/index.js'
import { startReferenceServer } from '../../src/reference-server/index.js'
import { EMBEDDED_LIFETIMES } from '../../src/cli/check.js'
import { resolveCheckConfig } from '../../src/config/resolve.js'
import { loadPacts } from '../../src/pact/pact-file.js'
import { createProviderContext } from '../../src/pact/states.js'
import { verifyInteraction } from '../../src/pact/verify.js'
import type { Profile } from '../../src/profile.js'
import { loadRequirements } from '../../src/requirements/index.js'
import { controlApiDriver } from '../../src/drivers/control-api.js'
import { RequirementFailure } from '../../src/engine/steps.js'
import { committedPact, requirementsOf } from '../../suites/pact/consumer/cases.js'
import { concurrencyLimit } from '../self/check-run.js'

/**
 * The provider verification against every mutant whose defect lies in a situation the pacts describe: a
 * mutant violating a requirement some interaction is evidence for must fail that interaction, and with it the
 * requirement. (Defects elsewhere — headers, rate limits, entropy, reuse — are the other suites' to catch.)
 */
const catalogue = loadRequirements()
const pactOf = (profile: Profile) => loadPacts(committedPact(profile))[0]!.pact
const covered = (profile: Profile) => new Set(pactOf(profile).interactions
  .flatMap((i) => requirementsOf(i.description))
  .filter((id) => catalogue.levelFor(id, profile) !== undefined))

const cases = mutants.flatMap((mutant) => profilesOf(mutant).map((profile) => ({ mutant, profile })))
  .filter(({ mutant, profile }) => mutant.violates.some((id) => covered(profile).has(id)))

/** Mutants verified at once, each with all its interactions at once. */
const runSlot = concurrencyLimit(2)

async function failedRequirements(mutant: Mutant, profile: Profile): Promise<Set<string>> {
  const server = await startReferenceServer({ ...EMBEDDED_LIFETIMES, ...mutant.options, profile, port: 0 })
  try {
    const options = { baseUrl: server.url, controlUrl: `${server.url}/control`, profile }
    const { target } = resolveCheckConfig(options, {})
    const pact = pactOf(profile)
    const verdicts = await Promise.all(pact.interactions.map(async (interaction) => {
      const driver = controlApiDriver(`${server.url}/control`, { timeoutMs: 5000, maxResponseBytes: 65536 })
      const ctx = createProviderContext(target, driver, interaction.description, () => {})
      // A state the defect breaks (no expires_in when the transaction starts) fails the check as well.
      const passed = await verifyInteraction(pact, interaction, ctx).then((v) => v.passed,
        (e: unknown) => e instanceof RequirementFailure ? false : Promise.reject(e))
      return { interaction, passed }
    }))
    const failed = verdicts.filter((v) => !v.passed)
    return new Set(failed.flatMap((v) => requirementsOf(v.interaction.description)))
  } finally {
    await server.close()
  }
}

describe('the pact suite catches the mutants whose defect a pact interaction describes', () => {
  let quiet: MockInstance
  // A crashing mutant runs in this process, and hono logs each exception.
  beforeAll(() => {
    quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined)
  })
  afterAll(() => quiet.mockRestore())

  it('has such mutants under both profiles', () => {
    expect(new Set(cases.map((c) => c.profile))).toEqual(new Set(['okta', 'rfc']))
  })

  const named = cases.map((c) => [`${c.mutant.name} (${c.profile})`, c] as const)
  it.concurrent.each(named)('%s', async (_, { mutant, profile }) => {
    const failed = await runSlot(() => failedRequirements(mutant, profile))
    const missed = mutant.violates.filter((id) => covered(profile).has(id) && !failed.has(id))
    expect(missed, mutant.defect).toEqual([])
  }, 120_000)
})
