/**
 * Merges the results.json of several runs — the shards of one long run (`check --shard i/n`), or a CI matrix of
 * servers — into one: the checks concatenated (a check that ran in several, such as the schema suite's graders
 * that each shard runs over its own exchanges, becomes one), the requirements rolled up again with the roll-up
 * of a single run, the verdict and completeness recomputed.
 * @module
 */
import { OobConformanceError } from '../errors.js'
import { catalogueFor } from './grade.js'
import type { CheckResult, CheckStatus, RunResults } from './model.js'
import { rollUp } from './rollup.js'
import { runResults } from './run-results.js'

export interface MergeInput {
  /** Where it was read from, for messages. */
  source: string
  results: RunResults
}

const usage = (message: string) => new OobConformanceError('ERR_USAGE', message)

/** Worst first: the status a check that ran in several runs takes. */
const RANK: Record<CheckStatus, number> = { failed: 0, warning: 1, passed: 2, skipped: 3 }

export function mergeResults(inputs: readonly MergeInput[], opts: { strict: boolean }): { results: RunResults;
  notes: string[] } {
  if (inputs.length === 0) throw usage('merge-reports: give at least one report directory')
  const [first] = inputs as [MergeInput, ...MergeInput[]]
  const differ = (what: string, of: (r: RunResults) => string) => {
    const other = inputs.find((i) => of(i.results) !== of(first.results))
    if (other) {
      throw usage(`merge-reports: ${what} differ: ${of(first.results)} in ${first.source}, ${of(other.results)} in ` +
        `${other.source}; merge reports of one ${what === 'tools' ? 'oob-conformance version' : what.replace(/s$/, '')}`)
    }
  }
  differ('tools', (r) => `${r.tool.name} ${r.tool.version}`)
  differ('profiles', (r) => r.profile)
  differ('sides', (r) => sideOf(r))
  checkShards(inputs)

  const byId = new Map<string, CheckResult>()
  for (const { results } of inputs) {
    for (const check of results.checks) {
      const seen = byId.get(check.id)
      byId.set(check.id, seen === undefined ? check : combine(seen, check))
    }
  }
  const checks = [...byId.values()]
  const side = sideOf(first.results)
  // The checks are already graded; the roll-up re-derives the requirements from their steps.
  const rolled = rollUp(checks, catalogueFor(first.results.profile), { strict: opts.strict, side })
  const starts = inputs.map((i) => Date.parse(i.results.startedAt))
  const ends = inputs.map((i) => Date.parse(i.results.startedAt) + i.results.durationMs)
  const seeds = [...new Set(inputs.map((i) => i.results.seed))]
  const notes = [`merged ${inputs.length} run(s): ${inputs.map(describe).join('; ')}`]
  if (seeds.length > 1) notes.push(`the runs used seeds ${seeds.join(', ')}: replay each with its own --seed`)
  const merged = runResults({
    target: [...new Set(inputs.map((i) => i.results.target))].join(', '),
    profile: first.results.profile,
    seed: first.results.seed,
    startedAt: new Date(Math.min(...starts)),
    graded: rolled,
    strict: opts.strict,
    interrupted: inputs.some((i) => i.results.interrupted),
  })
  // The runs' own tool and span, not this merge's.
  const results: RunResults = { ...merged, tool: first.results.tool, durationMs: Math.max(...ends) - Math.min(...starts) }
  return { results, notes }
}

/** `OOB-S-` for a `check` or `verify-pact` run, `OOB-C-` for `client-check`: from the ids it rolled up. */
function sideOf(results: RunResults): 'OOB-S-' | 'OOB-C-' {
  return results.requirements.some((r) => r.id.startsWith('OOB-C-')) ? 'OOB-C-' : 'OOB-S-'
}

/** Shards of one run must all be there, once each: a merge of 1/3 and 3/3 would pass what 2/3 never ran. */
function checkShards(inputs: readonly MergeInput[]): void {
  const sharded = inputs.filter((i) => i.results.shard !== undefined)
  if (sharded.length === 0) return
  const count = sharded[0]!.results.shard!.count
  const seen = new Map<number, string>()
  for (const { source, results } of sharded) {
    const { index, count: n } = results.shard!
    if (n !== count) throw usage(`merge-reports: ${source} is shard ${index}/${n}, another is of ${count}: merge the shards of one split`)
    if (seen.has(index)) throw usage(`merge-reports: shard ${index}/${count} twice (${seen.get(index)}, ${source})`)
    seen.set(index, source)
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i))
  if (missing.length > 0) {
    throw usage(`merge-reports: shard ${missing.map((i) => `${i}/${count}`).join(', ')} missing: give every shard's report directory`)
  }
}

function describe({ source, results }: MergeInput): string {
  const shard = results.shard ? `shard ${results.shard.index}/${results.shard.count}, ` : ''
  return `${source} (${shard}${results.target}, ${results.verdict}${results.interrupted ? ', interrupted' : ''})`
}

/** One check that ran in two runs: the worse status leads; steps, time and transcript add up. */
function combine(a: CheckResult, b: CheckResult): CheckResult {
  const [lead] = RANK[a.status] <= RANK[b.status] ? [a, b] : [b, a]
  const steps = a.steps !== undefined || b.steps !== undefined ? [...a.steps ?? [], ...b.steps ?? []] : undefined
  const transcript = a.transcript !== undefined || b.transcript !== undefined
    ? [...a.transcript ?? [], ...b.transcript ?? []] : undefined
  return {
    ...lead,
    requirements: [...new Set([...a.requirements, ...b.requirements])],
    durationMs: a.durationMs + b.durationMs,
    ...(steps !== undefined && { steps }),
    ...(transcript !== undefined && { transcript }),
  }
}
