import { afterAll, beforeAll, describe, it, expect } from 'vitest'
import { startReferenceServer } from '../reference-server/index.js'
import { resolveCheckConfig } from '../config/resolve.js'
import type { TargetConfig } from '../config/target.js'
import type { Exchange } from '../results/model.js'
import { controlApiDriver } from '../drivers/control-api.js'
import { OOB_GRANT_TYPE } from '../protocol/index.js'
import { startProviderEndpoint, targetUrl, withTargetAccounts } from './provider-endpoint.js'
import { createProviderContext, pendingTransaction } from './states.js'

const FORM = 'application/x-www-form-urlencoded'
const post = (url: string, body: unknown) => fetch(url, { method: 'POST', body: JSON.stringify(body) })

describe('targetUrl', () => {
  const { target } = resolveCheckConfig({ issuer: 'https://org.example.com/oauth2/default' }, {})
  const v1 = 'https://org.example.com/oauth2/default/v1'

  it('sends each operation to the target\'s endpoint, whatever path the pact wrote', () => {
    expect(targetUrl('/oauth2/v1/token', target)).toEqual({ url: `${v1}/token`, operation: 'token' })
    expect(targetUrl('/oauth2/v1/primary-authenticate?x=1', target))
      .toEqual({ url: `${v1}/primary-authenticate?x=1`, operation: 'primaryAuthenticate' })
  })

  it('sends any other path to the target\'s origin as is', () => {
    expect(targetUrl('/.well-known/openid-configuration', target))
      .toEqual({ url: 'https://org.example.com/.well-known/openid-configuration' })
  })
})

describe('withTargetAccounts', () => {
  const { target: standard } = resolveCheckConfig({ baseUrl: 'https://as.example' }, {})
  const { accounts } = standard
  const target: TargetConfig = { ...standard, accounts: { ...accounts,
    clients: { ...accounts.clients, public: { clientId: '0oa-public' } },
    users: { ...accounts.users, push: 'alice@corp.example' } } }
  const body = 'client_id=oob-public-client&login_hint=push%40example.test&channel_hint=push'

  it('replaces the standard client_id and login_hint with the target\'s own', () => {
    expect(withTargetAccounts(body, FORM, target))
      .toBe('client_id=0oa-public&login_hint=alice%40corp.example&channel_hint=push')
  })

  it('leaves the bytes alone when nothing differs, and non-form bodies always', () => {
    expect(withTargetAccounts(body, FORM, standard)).toBe(body)
    const json = '{"client_id":"oob-public-client"}'
    expect(withTargetAccounts(json, 'application/json', target)).toBe(json)
  })
})

describe('startProviderEndpoint', () => {
  let server: Awaited<ReturnType<typeof startReferenceServer>>
  /** The reference server's test-control API plays the user. */
  const driver = () => controlApiDriver(`${server.url}/control`, { timeoutMs: 5000, maxResponseBytes: 65536 })
  let target: TargetConfig
  beforeAll(async () => {
    server = await startReferenceServer({ port: 0 })
    target = resolveCheckConfig({ baseUrl: server.url, controlUrl: `${server.url}/control` }, {}).target
  })
  afterAll(() => server.close())

  it('sets up states and forwards requests through the recording client', async () => {
    const exchanges: Exchange[] = []
    const ctx = createProviderContext(target, driver(), 'test', (e) => exchanges.push(e))
    const endpoint = await startProviderEndpoint(ctx)
    try {
      const state = await post(endpoint.stateUrl,
        { state: pendingTransaction('push', 'push@example.test'), params: {}, action: 'setup' })
      const { oob_code: oobCode } = await state.json() as { oob_code: string }
      expect(await (await post(endpoint.stateUrl, { action: 'teardown' })).json()).toEqual({})
      const poll = await fetch(`${endpoint.url}/oauth2/v1/token`, {
        method: 'POST',
        headers: { 'content-type': FORM },
        body: new URLSearchParams({ client_id: 'oob-public-client', grant_type: OOB_GRANT_TYPE,
          oob_code: oobCode, scope: 'openid' }).toString(),
      })
      expect(poll.status).toBe(400)
      expect(await poll.json()).toMatchObject({ error: 'authorization_pending' })
      expect(endpoint.answer?.status).toBe(400)
      expect(exchanges.map((e) => `${e.operation} ${e.response?.status}`))
        .toEqual(['primaryAuthenticate 200', 'token 400'])
      expect(endpoint.error).toBeUndefined()
    } finally {
      await endpoint.close()
    }
  })

  it('answers 500 to a state it cannot set up and keeps the cause for the caller', async () => {
    const endpoint = await startProviderEndpoint(createProviderContext(target, driver(), 'test', () => {}))
    try {
      const res = await post(endpoint.stateUrl, { state: 'the moon is full', action: 'setup' })
      expect(res.status).toBe(500)
      expect(endpoint.error)
        .toMatchObject({ code: 'ERR_PACT_INVALID', message: expect.stringContaining('unknown provider state') })
    } finally {
      await endpoint.close()
    }
  })
})
