/**
 * The conformance checks against a server running in this process: pass your app as `handler` and the adapter
 * serves it on an ephemeral loopback port for the run, the way supertest does. A Hono app (or any object with
 * `fetch`), a fetch function, a `node:http` listener or an Express app all work.
 */
// An installed project imports the adapter as `oob-conformance/vitest`; this example runs from the repository.
import { conformanceTests } from '../../src/vitest/index.js'
// The repository's reference server stands in for your app; its test-control API is mounted at /control.
import { createReferenceServer } from '../../src/reference-server/index.js'

const { app } = await createReferenceServer({ interval: 1, expiresIn: 30 })

await conformanceTests({
  handler: app,
  // Your test-control API, as a path on the served app: it plays the user (approve, deny, otp, expire).
  controlUrl: '/control',
  numRuns: 10,
})
