/**
 * Runs one consumer case: its interactions on Pact's mock server (PactV3, which matches form bodies; PactV4's
 * builder cannot express them), the client against it, and — when the client did what the case expects —
 * the interactions merged into the pact file of the profile in `dir`.
 * @module
 */
import { PactV3 } from '@pact-foundation/pact'
import type { ExpectStatic } from 'vitest'
import { OobFlowClient } from '../../../src/client/index.js'
import { standardAccounts } from '../../../src/config/accounts.js'
import type { Profile } from '../../../src/profile.js'
import { CONSUMER, providerName, type ConsumerCase, type NewClient } from './cases.js'

/**
 * The client as an application would configure it, on a clock of its own: waiting costs no time, so a case
 * that polls runs at once and never depends on wall time.
 */
function clientOn(url: string): NewClient {
  const publicClient = standardAccounts().clients.public.clientId
  return (options = {}) => {
    let clock = 0
    return new OobFlowClient({
      issuer: url,
      clientId: options.clientId ?? publicClient,
      ...(options.fetch && { fetch: options.fetch }),
      now: () => clock,
      sleep: async (ms, signal) => {
        signal?.throwIfAborted()
        clock += ms
      },
    })
  }
}

export async function runConsumerCase(c: ConsumerCase, profile: Profile, dir: string, expect: ExpectStatic):
  Promise<void> {
  const pact = new PactV3({ consumer: CONSUMER, provider: providerName(profile), dir, logLevel: 'error' })
  for (const interaction of [...(c.before ?? []), c.interaction]) pact.addInteraction(interaction)
  await pact.executeTest(async (mock) => c.run(clientOn(mock.url), expect))
}
