import { describe, it, expect } from 'vitest'
import { resolveCheckConfig } from '../../src/config/resolve.js'
import { controlApiDriver } from '../../src/drivers/control-api.js'
import { loadPacts } from '../../src/pact/pact-file.js'
import { createProviderContext } from '../../src/pact/states.js'
import { verifyInteraction, type InteractionVerdict } from '../../src/pact/verify.js'
import { PROFILES, type Profile } from '../../src/profile.js'
import { startReferenceServer } from '../../src/reference-server/index.js'
import { committedPact } from '../../suites/pact/consumer/cases.js'

/**
 * Each interaction of the committed pact of `profile`, verified on a reference server that labels its JSON
 * `mediaType`.
 */
async function verifyRelabelled(profile: Profile, mediaType: string): Promise<Record<string, InteractionVerdict>> {
  const server = await startReferenceServer({
    profile, port: 0,
    behaviour: {
      finalizeResponse(response) {
        if (response.headers.get('Content-Type')?.startsWith('application/json')) {
          response.headers.set('Content-Type', mediaType)
        }
        return response
      },
    },
  })
  try {
    const { target } = resolveCheckConfig({ baseUrl: server.url, controlUrl: `${server.url}/control`, profile }, {})
    const driver = controlApiDriver(`${server.url}/control`, { timeoutMs: 5000, maxResponseBytes: 65536 })
    const { pact } = loadPacts(committedPact(profile))[0]!
    const verdicts: Record<string, InteractionVerdict> = {}
    for (const interaction of pact.interactions) {
      const ctx = createProviderContext(target, driver, 'test', () => {})
      verdicts[interaction.description] = await verifyInteraction(pact, interaction, ctx)
    }
    return verdicts
  } finally {
    await server.close()
  }
}

// RFC 9110 §8.3.1: a media type may carry parameters, and its type and subtype are case-insensitive. Express
// answers `application/json; charset=utf-8`; RFC 6749 §5.1's example response, `application/json;charset=UTF-8`.
describe.each(PROFILES)('the committed %s pact and the Content-Type of JSON answers', (profile) => {
  it.each([
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'Application/JSON ; charset="utf-8"',
  ])('holds on a server that answers %s', async (mediaType) => {
    const verdicts = await verifyRelabelled(profile, mediaType)
    expect(Object.keys(verdicts)).toHaveLength(13)
    expect(Object.entries(verdicts).filter(([, v]) => !v.passed)).toEqual([])
  })

  it.each(['text/plain; charset=utf-8', 'application/jsonp', 'application/json-seq'])(
    'fails every interaction on a server that answers %s', async (mediaType) => {
      const verdicts = await verifyRelabelled(profile, mediaType)
      expect(Object.keys(verdicts)).toHaveLength(13)
      for (const verdict of Object.values(verdicts)) {
        expect(verdict).toMatchObject({ passed: false, message: expect.stringContaining('header Content-Type:') })
      }
    })
})
