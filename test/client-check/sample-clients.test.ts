/**
 * Self-test of client-check: the correct sample client passes every scenario, and each faulty one fails
 * exactly on the requirement ids it declares. All clients run at once, in process, each scenario on its own
 * scripted server, so the whole matrix takes about as long as the longest scenario.
 *
 * On a machine too busy to time requests, a timing verdict is skipped as "not judged" instead of passed or
 * failed: the assertions accept that, and never a pass where a failure is declared.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { NOT_JUDGED, runClientScenarios, type ClientCheckRun } from '../../src/client-check/index.js'
import type { CheckResult, RequirementResult } from '../../src/results/model.js'
import { correctClient } from '../../fixtures/clients/correct.js'
import { FAULTY_CLIENTS } from '../../fixtures/clients/faulty.js'

const runs = new Map<string, ClientCheckRun>()
let wallMs = 0

const unjudged = (c: CheckResult) => c.status === 'skipped' && c.message.startsWith('not judged')
const failing = (r: RequirementResult) => r.status === 'failed' || r.status === 'warning'

/** What the run says about a requirement: failing, not judged (by some check of it), or neither. */
function verdict(run: ClientCheckRun, r: RequirementResult): 'failing' | 'not judged' | 'ok' {
  if (failing(r)) return 'failing'
  return run.results.checks.some((c) => r.checks.includes(c.id) && unjudged(c)) ? 'not judged' : 'ok'
}

beforeAll(async () => {
  const started = performance.now()
  const clients = [['correct', correctClient, 'okta'] as const, ['correct-rfc', correctClient, 'rfc'] as const,
    ...FAULTY_CLIENTS.map((f) => [f.name, f.client, f.profile ?? 'okta'] as const)]
  await Promise.all(clients.map(async ([name, client, profile]) => {
    runs.set(name, await runClientScenarios(client, { label: name, profile }))
  }))
  wallMs = performance.now() - started
}, 150_000)

afterAll(() => {
  const width = Math.max(...FAULTY_CLIENTS.map((f) => f.name.length))
  const lines = FAULTY_CLIENTS.map(({ name, violates }) => {
    const run = runs.get(name)!
    const found = run.results.requirements.filter((r) => failing(r) || violates.includes(r.id))
      .map((r) => (verdict(run, r) === 'failing' ? r.id : `${r.id} (${verdict(run, r)})`))
    return `  ${name.padEnd(width)}  ${found.join(', ')}`
  })
  console.log([`client-check self-test: ${runs.size} clients × ${runs.get('correct')!.scenarios.length} ` +
    `scenarios in ${(wallMs / 1000).toFixed(1)} s`, `  ${'faulty client'.padEnd(width)}  requirements failed`,
  ...lines].join('\n'))
})

describe('client-check', () => {
  it.each(['correct', 'correct-rfc'])('passes the %s sample client on every check of every scenario', (name) => {
    const { checks } = runs.get(name)!.results
    const unexplained = checks.filter((c) => c.status !== 'passed' && !unjudged(c))
    expect(unexplained.map((c) => `${c.id} ${c.status}: ${c.message}`)).toEqual([])
  })

  it('judges every client requirement on the correct client, under one profile or the other', () => {
    const results = ['correct', 'correct-rfc'].map((name) => runs.get(name)!)
    const ids = new Set(results.flatMap((run) => run.results.requirements.map((r) => r.id)))
    const unjudged = [...ids].filter((id) => !results.some((run) => {
      const r = run.results.requirements.find((q) => q.id === id)
      return r !== undefined && (r.status === 'passed' || verdict(run, r) === 'not judged')
    }))
    expect(ids.size).toBe(44)
    expect(unjudged).toEqual(Object.keys(NOT_JUDGED))
  })

  describe.each(FAULTY_CLIENTS.map((f) => ({ ...f })))('catches $name', ({ name, violates }) => {
    it('fails exactly the requirements it violates', () => {
      const run = runs.get(name)!
      const surprises = run.results.requirements
        .filter((r) => violates.includes(r.id) ? verdict(run, r) === 'ok' : verdict(run, r) === 'failing')
        .map((r) => [r.id, run.results.checks.filter((c) => r.checks.includes(c.id))
          .map((c) => `${c.id} ${c.status}: ${c.message}`).join(' | ')])
      // Each surprise with its checks' messages, so that a failure here explains itself.
      expect(Object.fromEntries(surprises)).toEqual({})
    })

    it('explains every failure and reproduces it with a rerun line, a timeline and the requests', () => {
      const { checks } = runs.get(name)!.results
      for (const check of checks.filter((c) => c.status === 'failed' || c.status === 'warning')) {
        expect(check.message.length).toBeGreaterThan(10)
        expect(check.reproduction).toMatch(/^# rerun: runClientScenarios\(client, \{ scenarios: \['[\w-]+'/)
        // Wire checks span scenarios: their reproduction is the offending requests, not one timeline.
        if (!check.id.startsWith('wire/')) expect(check.reproduction).toContain('# timeline')
      }
    })
  })
})
