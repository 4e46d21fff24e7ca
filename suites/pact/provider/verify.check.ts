import { loadPacts, slug } from '../../../src/pact/pact-file.js'
import { verifyInteraction } from '../../../src/pact/verify.js'
import { PROFILES } from '../../../src/profile.js'
import { check, fail, pass } from '../../../src/engine/index.js'
import { committedPact, requirementsOf } from '../consumer/cases.js'

// The committed consumer pact of each profile, one check per interaction (run under that profile only): its
// provider states set up through the driver, its request sent to the target, its response judged by Pact's
// verifier. Pact judges the interaction as a whole: a mismatch blames the interaction's first requirement.
for (const profile of PROFILES) {
  const [source] = loadPacts(committedPact(profile))
  const { pact } = source!
  for (const interaction of pact.interactions) {
    const requirements = requirementsOf(interaction.description)
    check(`pact/${slug(interaction.description)}`, `${pact.consumer.name} pact: ${interaction.description}`,
      requirements, async (c) => {
        const verdict = await verifyInteraction(pact, interaction, c)
        if (!verdict.passed) fail(requirements[0]!, verdict.message)
        for (const id of requirements) pass(id, verdict.message)
      }, { profile })
  }
}
