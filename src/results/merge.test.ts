import { describe, it, expect } from 'vitest'
import { mergeResults, type MergeInput } from './merge.js'
import type { CheckResult, RunResults } from './model.js'

const check = (id: string, status: CheckResult['status'], requirement: string, passes: number): CheckResult => ({
  id, title: id, requirements: [requirement], level: 'MUST', status, message: status, reproduction: null,
  durationMs: 10,
  steps: [{ requirement, status: status === 'failed' ? 'failed' : status === 'passed' ? 'passed' : 'skipped',
    message: status, passes }],
})

function run(source: string, checks: CheckResult[], extra: Partial<RunResults> = {}): MergeInput {
  return { source, results: {
    tool: { name: 'oob-conformance', version: '1.0.0' }, target: 'http://a', profile: 'okta', seed: 1,
    startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1000, verdict: 'passed',
    summary: { passed: 0, failed: 0, warnings: 0, skipped: 0 }, checks, requirements: [],
    completeness: { mustInScope: 0, mustExercised: 0, notExercised: [] }, ...extra,
  } }
}

const usage = (inputs: MergeInput[]) => {
  try {
    mergeResults(inputs, { strict: false })
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message }
  }
  throw new Error('expected an error')
}

describe('mergeResults', () => {
  it('a check that ran in two runs becomes one: the worse status, the steps of both, rolled up again', () => {
    const { results, notes } = mergeResults([
      run('a/results.json', [check('schema/errors', 'passed', 'OOB-S-ERROR-JSON', 2)], { seed: 1 }),
      run('b/results.json', [check('schema/errors', 'failed', 'OOB-S-ERROR-JSON', 0),
        check('flows/pending', 'passed', 'OOB-S-POLL-PENDING', 1)], { seed: 2, target: 'http://b',
        startedAt: '2026-01-01T00:00:02.000Z' }),
    ], { strict: false })
    expect(results.checks.map((c) => [c.id, c.status, c.steps!.length, c.durationMs])).toEqual([
      ['schema/errors', 'failed', 2, 20], ['flows/pending', 'passed', 1, 10]])
    expect(results.summary).toEqual({ passed: 1, failed: 1, warnings: 0, skipped: 0 })
    expect(results.requirements.find((r) => r.id === 'OOB-S-ERROR-JSON')).toMatchObject({ status: 'failed', passes: 2 })
    expect(results.requirements.find((r) => r.id === 'OOB-S-POLL-PENDING')).toMatchObject({ status: 'passed' })
    expect(results).toMatchObject({ verdict: 'failed', target: 'http://a, http://b', durationMs: 3000 })
    expect(notes).toEqual(['merged 2 run(s): a/results.json (http://a, passed); b/results.json (http://b, passed)',
      'the runs used seeds 1, 2: replay each with its own --seed'])
  })

  it('an interrupted run makes the merge incomplete at best', () => {
    const { results } = mergeResults([run('a', [check('flows/pending', 'passed', 'OOB-S-POLL-PENDING', 1)],
      { interrupted: true })], { strict: false })
    expect(results).toMatchObject({ interrupted: true })
    expect(results.verdict).not.toBe('passed')
  })

  it.each([
    ['tools', [run('a', []), run('b', [], { tool: { name: 'oob-conformance', version: '2.0.0' } })],
      'merge-reports: tools differ: oob-conformance 1.0.0 in a, oob-conformance 2.0.0 in b; merge reports of one ' +
        'oob-conformance version'],
    ['profiles', [run('a', []), run('b', [], { profile: 'rfc' })],
      'merge-reports: profiles differ: okta in a, rfc in b; merge reports of one profile'],
    ['a missing shard', [run('a', [], { shard: { index: 1, count: 3 } }), run('b', [], { shard: { index: 3, count: 3 } })],
      'merge-reports: shard 2/3 missing: give every shard\'s report directory'],
    ['a shard twice', [run('a', [], { shard: { index: 1, count: 2 } }), run('b', [], { shard: { index: 1, count: 2 } })],
      'merge-reports: shard 1/2 twice (a, b)'],
    ['shards of different splits', [run('a', [], { shard: { index: 1, count: 2 } }), run('b', [], { shard: { index: 1, count: 3 } })],
      'merge-reports: b is shard 1/3, another is of 2: merge the shards of one split'],
  ] as [string, MergeInput[], string][])('refuses %s: ERR_USAGE, one line', (_, inputs, message) => {
    expect(usage(inputs)).toEqual({ code: 'ERR_USAGE', message })
  })
})
