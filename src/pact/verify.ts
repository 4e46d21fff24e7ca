/**
 * Provider verification of one pact interaction against the target: its states set up through the driver, its
 * request sent through the recording client, its response judged by Pact's own verifier.
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeResponse } from '../engine/oob.js'
import type { Pact, PactInteraction } from './pact-file.js'
import { stateNames, writeSingleInteraction } from './pact-file.js'
import { startProviderEndpoint } from './provider-endpoint.js'
import type { ProviderContext } from './states.js'
import { describeFailures, runVerifier } from './verifier.js'

export interface InteractionVerdict {
  passed: boolean
  /** Why it failed: the differences, then what the server answered. */
  message: string
}

/**
 * Verifies `interaction` of `pact` against `ctx.target`. Whatever a state setup threw (a skip because the
 * driver lacks an operation, a verdict, an unreachable target) is rethrown as is: it is the check's cause.
 */
export async function verifyInteraction(pact: Pact, interaction: PactInteraction, ctx: ProviderContext):
  Promise<InteractionVerdict> {
  const dir = await mkdtemp(join(tmpdir(), 'oob-pact-'))
  const endpoint = await startProviderEndpoint(ctx)
  try {
    const pactFile = writeSingleInteraction(pact, interaction, dir)
    // A state may wait for an expiry (up to --max-wait); each call is bounded by the request timeout besides.
    const timeoutMs = ctx.target.requestTimeoutMs + ctx.target.maxWaitSeconds * 1000
    const calls = 2 * stateNames(interaction).length + 1
    const report = await runVerifier({ pactFile, providerBaseUrl: endpoint.url, stateUrl: endpoint.stateUrl,
      timeoutMs }, calls)
    if (endpoint.error !== undefined) throw endpoint.error
    if (report.result) return { passed: true, message: `the server meets "${interaction.description}"` }
    const answered = endpoint.answer ? ` (the server answered ${describeResponse(endpoint.answer)})` : ''
    return { passed: false, message: `${describeFailures(report)}${answered}` }
  } finally {
    await endpoint.close()
    await rm(dir, { recursive: true, force: true })
  }
}
