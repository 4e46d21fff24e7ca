import { describe, it, expect } from 'vitest'
import { mutants } from '../../fixtures/mutants/index.js'
import { startReferenceServer, type ReferenceServerOptions } from '../reference-server/index.js'
import { committedPact } from '../../suites/pact/consumer/cases.js'
import { resolveCheckConfig } from '../config/resolve.js'
import { controlApiDriver } from '../drivers/control-api.js'
import type { Driver } from '../drivers/driver.js'
import { CheckSkipped } from '../engine/steps.js'
import type { Exchange } from '../results/model.js'
import { loadPacts, type PactInteraction } from './pact-file.js'
import { createProviderContext, STATES, type ProviderContext } from './states.js'
import { verifyInteraction } from './verify.js'

const { pact } = loadPacts(committedPact('okta'))[0]!
const denial = pact.interactions.find((i) => i.description === 'push poll after denial')!

async function withServer(options: Partial<ReferenceServerOptions>,
  body: (ctx: ProviderContext, exchanges: Exchange[]) => Promise<void>, only?: (keyof Driver)[]): Promise<void> {
  const server = await startReferenceServer({ ...options, port: 0 })
  try {
    const { target } = resolveCheckConfig({ baseUrl: server.url, controlUrl: `${server.url}/control` }, {})
    const exchanges: Exchange[] = []
    const full = controlApiDriver(`${server.url}/control`, { timeoutMs: 5000, maxResponseBytes: 65536 })
    const driver = only ? Object.fromEntries(only.map((op) => [op, full[op]])) as Driver : full
    await body(createProviderContext(target, driver, 'test', (e) => exchanges.push(e)), exchanges)
  } finally {
    await server.close()
  }
}

describe('verifyInteraction', () => {
  it('passes an interaction the server meets, with the whole exchange in the transcript', async () => {
    await withServer({}, async (ctx, exchanges) => {
      expect(await verifyInteraction(pact, denial, ctx))
        .toEqual({ passed: true, message: 'the server meets "push poll after denial"' })
      expect(exchanges.map((e) => e.operation)).toEqual(['primaryAuthenticate', 'control', 'token'])
      // The oob_code the state started is the one the verifier sent (fromProviderState in a form body).
      const oobCode = (JSON.parse(exchanges[0]!.response!.body!) as { oob_code: string }).oob_code
      expect(new URLSearchParams(exchanges[2]!.request.body).get('oob_code')).toBe(oobCode)
    })
  })

  it('fails with what differed and what the server answered', async () => {
    const mutant = mutants.find((m) => m.name === 'denial-pending-forever')!
    await withServer(mutant.options, async (ctx) => {
      const verdict = await verifyInteraction(pact, denial, ctx)
      expect(verdict.passed).toBe(false)
      expect(verdict.message).toBe("body $.error: Expected 'authorization_pending' to match " +
        "'^(access_denied|invalid_grant)$' (the server answered 400 authorization_pending)")
    })
  })

  it('rethrows what a state setup threw: a skip stays a skip', async () => {
    await withServer({}, async (ctx) => {
      await expect(verifyInteraction(pact, denial, ctx)).rejects.toThrow(CheckSkipped)
    }, ['approve', 'otp', 'expire'])
  })

  it('rethrows the verdict on a state it does not know', async () => {
    const states = [{ name: STATES.accounts }, { name: 'the moon is full' }]
    const unknown: PactInteraction = { ...denial, providerStates: states }
    await withServer({}, async (ctx) => {
      await expect(verifyInteraction(pact, unknown, ctx))
        .rejects.toThrow(/unknown provider state "the moon is full"/)
    })
  })
})
