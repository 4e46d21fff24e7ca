import { describe, it, expect } from 'vitest'
import { isOobConformanceError } from '../errors.js'
import { OOB_CHALLENGE_HINT } from '../protocol/index.js'
import { PRIMARY, PUBLIC_CLIENT, harness } from './harness.js'
import { createReferenceServer, startReferenceServer } from './index.js'

describe('startReferenceServer', () => {
  it('serves on a real socket and closes', async () => {
    const running = await startReferenceServer({ port: 0 })
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    try {
      const discovery = await fetch(`${running.url}/.well-known/openid-configuration`)
      expect(((await discovery.json()) as { issuer: string }).issuer).toBe(running.url)
      const res = await fetch(running.url + PRIMARY, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: PUBLIC_CLIENT,
          login_hint: 'push@example.test',
          channel_hint: 'push',
          challenge_hint: OOB_CHALLENGE_HINT,
        }),
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/json')
    } finally {
      await running.close()
    }
    await expect(fetch(`${running.url}/oauth2/v1/keys`)).rejects.toThrow()
  })

  it('fails with ERR_SERVER_LISTEN when the port is taken', async () => {
    const first = await startReferenceServer()
    try {
      const port = Number(new URL(first.url).port)
      const error = await startReferenceServer({ port }).catch((e: unknown) => e)
      expect(isOobConformanceError(error, 'ERR_SERVER_LISTEN')).toBe(true)
    } finally {
      await first.close()
    }
  })
})

describe('createReferenceServer options', () => {
  it('fills in the defaults', async () => {
    const { options } = await createReferenceServer()
    expect(options).toMatchObject({
      profile: 'okta', interval: 5, expiresIn: 300, control: true, now: Date.now,
      rateLimit: { limit: 6000, windowSeconds: 60 }, otpMaxAttempts: 5, behaviour: {},
    })
    expect(options.issuer).toBeUndefined()
  })

  it.each([
    { profile: 'strict' as 'okta' },
    { interval: 0 },
    { interval: 1.5 },
    { expiresIn: -1 },
    { otpMaxAttempts: 0 },
    { rateLimit: { limit: 0, windowSeconds: 60 } },
    { rateLimit: { limit: 10, windowSeconds: Number.NaN } },
    { issuer: 'not a url' },
  ])('refuses %o with ERR_CONFIG_INVALID', async (options) => {
    const error = await createReferenceServer(options).catch((e: unknown) => e)
    expect(isOobConformanceError(error, 'ERR_CONFIG_INVALID')).toBe(true)
  })
})

describe('routing', () => {
  it('answers unknown paths with a JSON 404', async () => {
    const h = await harness()
    const res = await h.agent().get('/oauth2/v2/token')
    expect(res.status).toBe(404)
    expect(res.body.error).toBe('not_found')
  })
})
