import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { driverFor, expectedFailuresOf, resolveTarget, suitesOf } from './options.js'

const env = {}
const handler = () => new Response('ok')

describe('resolveTarget', () => {
  test('a base URL resolves as `check --base-url` does, with the same defaults', () => {
    const { target } = resolveTarget({ baseUrl: 'https://auth.example.com/', env })
    expect(target).toMatchObject({
      baseUrl: 'https://auth.example.com', profile: 'okta', maxWaitSeconds: 60, requestTimeoutMs: 10_000, numRuns: 100,
      endpoints: { token: 'https://auth.example.com/oauth2/v1/token' },
    })
    expect(target.controlUrl).toBeUndefined()
  })

  test('options by their long names, a rate limit as a number, a control URL as a path of the base URL', () => {
    const { target } = resolveTarget({
      baseUrl: 'https://auth.example.com/tenant', controlUrl: 'test-control', profile: 'rfc', numRuns: 10, seed: 7,
      maxWait: 5, requestTimeout: 2, rateLimit: 4, initiation: 'oob-authenticate', env,
    })
    expect(target).toMatchObject({
      profile: 'rfc', numRuns: 10, seed: 7, maxWaitSeconds: 5, requestTimeoutMs: 2000, rateLimit: 4,
      initiation: 'oobAuthenticate', controlUrl: 'https://auth.example.com/tenant/test-control',
    })
  })

  test('a handler is reached at the URL it is served on; baseUrl, issuer and controlUrl are paths of it', () => {
    const served = 'http://127.0.0.1:4567'
    expect(resolveTarget({ handler, controlUrl: '/control', env }, served).target).toMatchObject({
      baseUrl: served, controlUrl: `${served}/control`, endpoints: { token: `${served}/oauth2/v1/token` },
    })
    const custom = resolveTarget({ handler, issuer: '/oauth2/default', env }, served).target
    expect(custom.endpoints.token).toBe(`${served}/oauth2/default/v1/token`)
    // Before it is served (collection time), a placeholder stands in: the options are validated all the same.
    expect(resolveTarget({ handler, profile: 'rfc', env }).target.profile).toBe('rfc')
  })

  test('mistakes are usage errors naming the option', async () => {
    expect(() => resolveTarget({ env })).toThrow(/no target: give baseUrl, issuer, config or handler/)
    expect(() => resolveTarget({ handler, baseUrl: 'http://localhost:3000', env }))
      .toThrow(/with handler, baseUrl must be a path/)
    expect(() => resolveTarget({ baseUrl: 'https://a.example', controlUrl: '/c', driver: {}, env }))
      .toThrow(/either controlUrl or driver/)
    expect(() => resolveTarget({ baseUrl: 'https://a.example', profile: 'oidc' as 'okta', env })).toThrow(/profile "oidc"/)
    const dir = await mkdtemp(join(tmpdir(), 'oob-vitest-options-'))
    const config = join(dir, 'oob.yaml')
    await writeFile(config, 'base-url: https://auth.example.com\n')
    expect(resolveTarget({ config, env }).target.baseUrl).toBe('https://auth.example.com')
    expect(() => resolveTarget({ handler, config, env })).toThrow(/must not name base-url or issuer/)
  })

  test('the confidential client secret comes from env, as for `check`', () => {
    const { target } = resolveTarget({ baseUrl: 'https://a.example', env: { OOB_CLIENT_SECRET: 'from-env-1234' } })
    expect(target.accounts.clients.confidential.clientSecret).toBe('from-env-1234')
  })
})

describe('driverFor', () => {
  test('a driver object as given, else the control API, else none', async () => {
    const driver = { otp: async () => '123456' }
    const options = { baseUrl: 'https://a.example', env }
    expect(await driverFor({ ...options, driver }, resolveTarget({ ...options, driver }))).toBe(driver)
    const withControl = { ...options, controlUrl: '/control' }
    expect(Object.keys((await driverFor(withControl, resolveTarget(withControl)))!).sort())
      .toEqual(['approve', 'deny', 'expire', 'otp'])
    expect(await driverFor(options, resolveTarget(options))).toBeUndefined()
  })
})

describe('suitesOf and expectedFailuresOf', () => {
  test('suites: all but pact by default; a list or a comma-separated string; unknown names are errors', () => {
    expect(suitesOf(undefined)).toEqual(['schema', 'flows', 'properties', 'security'])
    expect(suitesOf('flows, schema')).toEqual(['flows', 'schema'])
    expect(suitesOf(['pact'])).toEqual(['pact'])
    expect(() => suitesOf('flow')).toThrow(/unknown suite flow/)
    expect(() => suitesOf([])).toThrow(/no suite named/)
  })

  test('expected failures: entries are validated like the file', async () => {
    expect(await expectedFailuresOf([{ check: 'flows/reuse', reason: 'AUTH-1' }])).toEqual([{ check: 'flows/reuse', reason: 'AUTH-1' }])
    await expect(expectedFailuresOf([{ reason: 'no target' }])).rejects.toThrow(/exactly one of "check" or "requirement"/)
  })
})
