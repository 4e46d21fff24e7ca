/**
 * Self-test of client-check in the other direction: correct clients that differ the way real ones do
 * (fixtures/clients/variants.ts), each run with the capability flags that describe it, fail nothing and
 * warn about nothing — except the one that fails closed on 5xx, which may earn a SHOULD warning about
 * robustness. The HTTPS-only variant also runs as a real command over --tls, trusting only OOB_CA_FILE.
 *
 * On a machine too busy to time requests, a timing verdict is skipped as "not judged": accepted here.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { runClientScenarios, type ClientCheckRun } from '../../src/client-check/index.js'
import { exitCode } from '../../src/results/rollup.js'
import type { CheckResult } from '../../src/results/model.js'
import { correctClient } from '../../fixtures/clients/correct.js'
import { CLIENT_VARIANTS } from '../../fixtures/clients/variants.js'
import { compileSampleClients } from './compile-clients.js'

const runs = new Map<string, ClientCheckRun>()
const AS_COMMAND = 'https-only (command)'
let clients: string
let wallMs = 0

const unjudged = (c: CheckResult) => c.status === 'skipped' && c.message.startsWith('not judged')
const describeCheck = (c: CheckResult) => `${c.id} ${c.status} (${c.level}): ${c.message}`

beforeAll(async () => {
  clients = await compileSampleClients()
  const started = performance.now()
  await Promise.all([
    ...CLIENT_VARIANTS.map(async (v) => {
      runs.set(v.name, await runClientScenarios(v.client, { ...v.declares, label: v.name }))
    }),
    (async () => {
      const command = ['node', join(clients, 'variants.js'), 'https-only']
      runs.set(AS_COMMAND, await runClientScenarios({ command }, { tls: true, timeoutSeconds: 40 }))
    })(),
  ])
  wallMs = performance.now() - started
}, 150_000)

afterAll(async () => {
  await rm(join(clients, '..', '..'), { recursive: true, force: true })
  const lines = [...runs].map(([name, run]) => {
    const { passed, failed, warnings, skipped } = run.results.summary
    const flagged = run.results.checks.filter((c) => c.status === 'failed' || c.status === 'warning')
      .map((c) => `${c.id} ${c.status} [${c.requirements.join(', ')}]`)
    return `  ${name.padEnd(22)} exit ${exitCode(run.results, { strict: false })}  checks ${passed} passed, ` +
      `${failed} failed, ${warnings} warnings, ${skipped} skipped${flagged.length > 0 ? `: ${flagged.join('; ')}` : ''}`
  })
  console.log([`client-check variants: ${runs.size} runs in ${(wallMs / 1000).toFixed(1)} s`, ...lines].join('\n'))
})

describe('correct-client variants', () => {
  describe.each([...CLIENT_VARIANTS.map((v) => v.name), AS_COMMAND])('%s', (name) => {
    it('fails no check and exits 0 with the flags that describe it', () => {
      const { results } = runs.get(name)!
      const failed = results.checks.filter((c) => c.status === 'failed')
      expect(failed.map(describeCheck)).toEqual([])
      expect(results.requirements.filter((r) => r.status === 'failed').map((r) => r.id)).toEqual([])
      expect(exitCode(results, { strict: false })).toBe(0)
    })

    it('earns no warning, but a SHOULD one for failing closed on 5xx', () => {
      const { results } = runs.get(name)!
      const warnings = results.checks.filter((c) => c.status === 'warning')
      if (name === 'fails-closed-on-5xx') {
        expect(warnings.filter((c) => c.level !== 'SHOULD').map(describeCheck)).toEqual([])
      } else {
        expect(warnings.map(describeCheck)).toEqual([])
      }
      // Whatever is left unjudged says why; nothing passed that did not run.
      for (const c of results.checks.filter((c) => c.status === 'skipped' && !unjudged(c))) {
        expect(c.message).not.toBe('')
      }
    })
  })

  it('skips the scenarios outside the declared capabilities, with the reason, and runs the rest', () => {
    const pushOnly = runs.get('push-only')!
    const skipped = pushOnly.results.checks.filter((c) => c.id.endsWith('/capabilities'))
    expect(skipped.map((c) => c.id)).toEqual(['prompt/capabilities', 'prompt-leading-zero/capabilities'])
    for (const check of skipped) {
      expect(check).toMatchObject({ status: 'skipped',
        message: 'not run: the client does not declare sms (--channels push)' })
    }
    expect(pushOnly.scenarios.every((r) => r.scenario.channel === 'push')).toBe(true)
    const confidential = runs.get('confidential-only')!
    expect(confidential.scenarios.map((r) => r.scenario.name)).toEqual(['confidential-client'])
  })

  it('passes the correct client in process over --tls, trusting the CA it is given as env.ca', async () => {
    const { results, scenarios } =
      await runClientScenarios(correctClient, { tls: true, scenarios: ['confidential-client', 'prompt'] })
    expect(results.checks.filter((c) => c.status !== 'passed' && !unjudged(c)).map(describeCheck)).toEqual([])
    expect(scenarios.every((s) => s.requests.every((r) => r.exchange.request.url.startsWith('https://')))).toBe(true)
  }, 30_000)

  it('ran the command over HTTPS: every request it sent reached the TLS server', () => {
    const run = runs.get(AS_COMMAND)!
    const urls = run.scenarios.flatMap((s) => s.requests.map((r) => r.exchange.request.url))
    expect(urls.length).toBeGreaterThan(run.scenarios.length)
    expect(urls.filter((u) => !u.startsWith('https://127.0.0.1:'))).toEqual([])
  })
})
