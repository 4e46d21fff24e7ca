import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import fc from 'fast-check'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolveCheckConfig } from '../config/resolve.js'
import { HttpClient, type HttpResponse } from '../http/client.js'
import type { Exchange } from '../http/exchange.js'
import type { CheckContext } from './check.js'
import { RequirementFailure } from './steps.js'
import { checkProperty, expectContractResponse } from './property.js'
import { UserDriver } from './user.js'
import type { Driver } from '../drivers/driver.js'
import type { Transaction } from './oob.js'

let server: Server
let url: string
beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

/** The parts of a check's context that checkProperty uses, recording what the check would report. */
function context(numRuns = 20, driver?: Driver) {
  const transcript: Exchange[] = []
  const notes: string[] = []
  const reproduction: string[] = []
  const chosen: Exchange[] = []
  const { target } = resolveCheckConfig({ baseUrl: 'https://as.example', seed: 42, numRuns }, {})
  const http = new HttpClient({ timeoutMs: 5000, maxResponseBytes: 1024, onExchange: (e) => transcript.push(e) })
  const c = {
    target,
    http,
    user: new UserDriver(driver, { check: 'properties/test', signal: new AbortController().signal, http }),
    note: (m: string) => void notes.push(m),
    reproduce: (line: string) => void reproduction.push(line),
    reproduceWith: (exchanges: Exchange[]) => void chosen.push(...exchanges),
    skip: (reason: string): never => {
      throw new Error(`skipped: ${reason}`)
    },
  } as unknown as CheckContext
  return { c, transcript, notes, reproduction, chosen }
}

describe('checkProperty', () => {
  it('runs --num-runs times from --seed, and notes the runs and the request rate', async () => {
    const { c, transcript, notes } = context(12)
    const seen: number[] = []
    await checkProperty(c, fc.nat(), async (n, run) => {
      seen.push(n)
      await run.http.send({ url: `${url}?n=${n}` })
    })
    expect(seen).toHaveLength(12)
    expect(transcript).toHaveLength(12)
    expect(notes[0]).toMatch(/^12 runs, 12 requests in \d+\.\d s: \d+ requests\/s$/)
    // Same seed, same values.
    const again: number[] = []
    await checkProperty(context(12).c, fc.nat(), async (n) => void again.push(n))
    expect(again).toEqual(seen)
  })

  it('fails with the message and the shrunk counterexample, reproduced with seed and requests', async () => {
    const { c, reproduction, chosen } = context(200)
    const failure = checkProperty(c, fc.integer({ min: 0, max: 1000 }), async (n, run) => {
      await run.http.send({ url: `${url}?n=${n}` })
      if (n >= 10) throw new RequirementFailure('OOB-S-DOCUMENTED-STATUS', `${n} is too big`)
    })
    await expect(failure).rejects.toThrow(/^10 is too big — after \d+ run\(s\), shrunk to 10$/)
    await expect(failure).rejects.toMatchObject({ requirement: 'OOB-S-DOCUMENTED-STATUS' })
    expect(reproduction[0]).toMatch(/^# fast-check seed 42, path [\d:]+ \(the run replays with --seed 42\); /)
    expect(reproduction[0]).toMatch(/shrunk \d+ times to: 10$/)
    // Only the shrunk run's request is what reproduces it.
    expect(chosen.map((e) => e.request.url)).toEqual([`${url}?n=10`])
  })

  it('keeps the user\'s part of the shrunk run with its requests (a driver that calls HTTP)', async () => {
    const driver: Driver = {
      async otp(oobCode, { http }) {
        await http!.send({ url: `${url}?otp-for=${oobCode}`, operation: 'control' })
        return '123456'
      },
    }
    const { c, chosen } = context(50, driver)
    const failure = checkProperty(c, fc.integer({ min: 0, max: 100 }), async (n, run) => {
      await run.user.otp({ oobCode: `code-${n}`, loginHint: 'sms@x' } as Transaction)
      await run.http.send({ url: `${url}?n=${n}` })
      if (n >= 3) throw new RequirementFailure('OOB-S-DOCUMENTED-STATUS', `${n} is too big`)
    })
    await expect(failure).rejects.toThrow(/^3 is too big/)
    expect(chosen.map((e) => [e.operation, e.request.url])).toEqual([['control', `${url}?otp-for=code-3`], [undefined, `${url}?n=3`]])
  })

  it('shares the runs among lanes with consecutive seeds', async () => {
    const { c, notes } = context(9)
    let runs = 0
    await checkProperty(c, fc.nat(), async () => void runs++, { lanes: 3 })
    expect(runs).toBe(9)
    expect(notes[0]).toMatch(/^9 runs, 0 requests/)
  })
})

describe('expectContractResponse', () => {
  const response = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache',
      ...headers },
    text: JSON.stringify(body),
    json: body,
    exchange: { request: { method: 'POST', url, headers: {} }, startedAt: '', durationMs: 0 },
  })
  const judge = (res: HttpResponse, profile: 'okta' | 'rfc' = 'okta', basic = false) =>
    () => expectContractResponse(res, 'token', profile, basic, 'a token request')

  it('passes an error the spec documents', () => {
    expect(judge(response(400, { error: 'invalid_grant', error_description: 'Unknown code.' }))).not.toThrow()
  })

  it('fails tokens, undocumented statuses and error codes the spec does not list for the status', () => {
    const blamed = (res: HttpResponse, profile: 'okta' | 'rfc' = 'okta') => {
      try {
        judge(res, profile)()
      } catch (e) {
        return [(e as RequirementFailure).requirement, (e as Error).message]
      }
      return undefined
    }
    expect(blamed(response(200, { access_token: 'x', token_type: 'Bearer' })))
      .toEqual(['OOB-S-NO-FOREIGN-TOKENS', 'a token request: got tokens'])
    expect(blamed(response(500, { error: 'server_error' }))).toEqual(['OOB-S-NO-SERVER-ERROR',
      'a token request: 500 server_error'])
    expect(blamed(response(418, { error: 'teapot' }))?.[0]).toBe('OOB-S-DOCUMENTED-STATUS')
    expect(judge(response(418, { error: 'teapot' }))).toThrow('status 418 is not documented for token')
    expect(judge(response(403, { error: 'access_denied' }), 'rfc')).toThrow('status 403 is not documented')
    expect(blamed(response(400, { error: 'server_error' }))?.[0]).toBe('OOB-S-ERROR-JSON')
    expect(judge(response(400, { error: 'server_error' })))
      .toThrow('400 with error "server_error", expected one of invalid_request')
  })

  it('fails a response the schema rejects, such as a 401 after Basic without WWW-Authenticate', () => {
    expect(judge(response(401, { error: 'invalid_client' }), 'okta', true))
      .toThrow(/WWW-Authenticate is missing/)
    expect(judge(response(401, { error: 'invalid_client' }), 'okta', true))
      .toThrow(expect.objectContaining({ requirement: 'OOB-S-WWW-AUTHENTICATE' }))
    expect(judge(response(401, { error: 'invalid_client' }), 'okta', false)).not.toThrow()
  })
})
