import { inject } from 'vitest'
import { loadPacts, slug } from '../../../src/pact/pact-file.js'
import { verifyInteraction } from '../../../src/pact/verify.js'
import { check, fail } from '../../../src/suite/index.js'
import { committedPact, requirementsOf } from '../consumer/cases.js'

// The committed consumer pact of the run's profile, one check per interaction: its provider states set up
// through the driver, its request sent to the target, its response judged by Pact's verifier.
const [source] = loadPacts(committedPact(inject('target').profile))
const { pact } = source!

for (const interaction of pact.interactions) {
  check(`pact/${slug(interaction.description)}`, `${pact.consumer.name} pact: ${interaction.description}`,
    requirementsOf(interaction.description), async (c) => {
      const verdict = await verifyInteraction(pact, interaction, c)
      if (!verdict.passed) fail(verdict.message)
    })
}
