import { describe, it, expect } from 'vitest'
import { resolveCheckConfig } from '../../src/config/resolve.js'
import { loadSuites } from '../../src/engine/load.js'
import { runChecks } from '../../src/engine/runner.js'
import { startReferenceServer } from '../../src/reference-server/index.js'

// The engine runs in one process for many runs (runCheck, the vitest adapter): a run must judge its own target.
describe('security/oob-code-entropy, two runs in one process', () => {
  it('samples the codes of each run\'s own target', { timeout: 30_000 }, async () => {
    const checks = (await loadSuites(['security'])).checks.filter((c) => c.id === 'security/oob-code-entropy')
    const sampled: string[] = []
    for (let run = 0; run < 2; run++) {
      const server = await startReferenceServer({})
      try {
        const { target } = resolveCheckConfig({ baseUrl: server.url, seed: 1 }, {})
        const { outcomes } = await runChecks({ target, checks })
        expect(outcomes[0]!.status).toBe('passed')
        sampled.push(outcomes[0]!.reproduction.join('\n'))
        expect(outcomes[0]!.exchanges.some((e) => e.request.url.startsWith(server.url))).toBe(true)
      } finally {
        await server.close()
      }
    }
    expect(sampled[1]).not.toBe(sampled[0])
  })
})
