/**
 * The conformance checks against a running server, by its base URL: a staging deployment, a container started
 * by your CI, or (here) a server this file starts.
 */
import { afterAll } from 'vitest'
// An installed project imports the adapter as `oob-conformance/vitest`; this example runs from the repository.
import { conformanceTests } from '../../src/vitest/index.js'
// The repository's reference server stands in for your server.
import { startReferenceServer } from '../../src/reference-server/index.js'

const server = await startReferenceServer({ interval: 1, expiresIn: 30 })
afterAll(() => server.close())

await conformanceTests({
  baseUrl: server.url,                  // e.g. process.env.AUTH_BASE_URL
  controlUrl: `${server.url}/control`,  // its test-control API, in test environments only
  profile: 'okta',
  numRuns: 10,
})
