import { afterAll, describe, it, expect } from 'vitest'
import { mutants, profilesOf, type Mutant } from '../../fixtures/mutants/index.js'
import type { Profile } from '../../src/profile.js'
import { loadRequirements } from '../../src/requirements/index.js'
import type { RequirementStatus } from '../../src/results/model.js'
import { checkTarget, concurrencyLimit } from './check-run.js'

/**
 * Every mutant, under every profile where its defect is a violation, gets the full `check`. Caught means: the
 * run fails (exit 1) and every requirement the mutant declares is among the failed ones — a failure of some
 * unrelated check does not count. Exact means: nothing else failed either (no collateral blame), and no check
 * errored. A mutant whose declared requirements are all SHOULD under the profile is run with `--strict`, the
 * flag that makes a SHOULD fail the run; without it they would be warnings. At least 95% of the runs must be
 * exact; the table lists the others with what else they failed.
 */

interface Case {
  mutant: Mutant
  profile: Profile
  strict: boolean
}

interface Outcome {
  exitCode: number
  declared: Record<string, RequirementStatus | 'absent'>
  /** Failed (or warned) requirements the mutant does not declare: collateral blame. */
  alsoFailed: string[]
  /** Checks that ended with an error blaming no requirement. */
  errored: string[]
  output: string
}

const catalogue = loadRequirements()
/**
 * Each mutant once, alternating profiles where its defect is a violation under both, keeps `npm test` inside
 * the CI budget; OOB_SELFTEST_ALL_PROFILES=1 runs the full matrix (every mutant under every such profile).
 */
const allProfiles = process.env.OOB_SELFTEST_ALL_PROFILES === '1'
const cases: Case[] = mutants.flatMap((mutant, index) => {
  const profiles = profilesOf(mutant)
  const chosen = allProfiles ? profiles : [profiles[index % profiles.length]!]
  return chosen.map((profile) => ({
    mutant,
    profile,
    strict: mutant.violates.every((id) => catalogue.levelFor(id, profile) !== 'MUST'),
  }))
})
/** Fewer generated cases per property than the default 100: every declared defect is caught well within 25. */
const NUM_RUNS = ['--num-runs', '25']
const label = (c: Case) => `${c.mutant.name} (${c.profile}${c.strict ? ', --strict' : ''})`

/** Each run is a CLI process with its own vitest workers; the machine has 2 cores. */
const runSlot = concurrencyLimit(3)
/** Generous: a run waits for its slot, and every run's own waits and requests are bounded (check-run.ts). */
const TIMEOUT_MS = 30 * 60_000
const outcomes = new Map<Case, Outcome>()

async function run(c: Case): Promise<Outcome> {
  const flags = [...NUM_RUNS, ...(c.strict ? ['--strict'] : [])]
  const { exitCode, results, output } = await checkTarget(c.mutant.name, c.profile, flags)
  const status = new Map(results.requirements.map((r) => [r.id, r.status]))
  return {
    exitCode,
    declared: Object.fromEntries(c.mutant.violates.map((id) => [id, status.get(id) ?? 'absent'])),
    alsoFailed: results.requirements
      .filter((r) => (r.status === 'failed' || r.status === 'warning') && !c.mutant.violates.includes(r.id))
      .map((r) => r.id),
    errored: results.checks.filter((check) => check.errored).map((check) => check.id),
    output,
  }
}

/** A declared requirement is caught when failed; a SHOULD may be a warning in a run that is not strict. */
function counts(c: Case, id: string, status: string): boolean {
  return status === 'failed' ||
    (status === 'warning' && !c.strict && catalogue.levelFor(id, c.profile) !== 'MUST')
}

function isCaught(c: Case, o: Outcome): boolean {
  return o.exitCode === 1 && Object.entries(o.declared).every(([id, status]) => counts(c, id, status))
}

function isExact(c: Case, o: Outcome): boolean {
  return isCaught(c, o) && o.alsoFailed.length === 0 && o.errored.length === 0
}

/** The share of runs that must fail exactly their declared requirements. */
const PRECISION = 0.95

function table(): string {
  const short = (id: string) => id.replace(/^OOB-S-/, '')
  const done = cases.filter((c) => outcomes.has(c))
  const rows = done.map((c) => {
    const o = outcomes.get(c)!
    const declared = Object.entries(o.declared).map(([id, s]) => `${short(id)}=${s}`).join(' ')
    const also = [...o.alsoFailed.map(short), ...o.errored.map((id) => `error:${id}`)].join(' ') || '-'
    return [label(c), String(o.exitCode), isExact(c, o) ? 'yes' : 'no', declared, also]
  })
  const header = ['mutant (profile)', 'exit', 'exact', 'declared requirement = status', 'also failed or errored']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()
  const caught = done.filter((c) => isCaught(c, outcomes.get(c)!)).length
  const exact = done.filter((c) => isExact(c, outcomes.get(c)!)).length
  return [line(header), ...rows.map(line), '',
    `mutation score: ${caught}/${done.length} runs caught by their declared requirements ` +
    `(${new Set(done.map((c) => c.mutant)).size} mutants)`,
    `mutation precision: ${exact}/${done.length} runs fail exactly their declared requirements ` +
    `(${Math.round((exact / Math.max(1, done.length)) * 100)}%, required ${PRECISION * 100}%)`].join('\n')
}

describe('every mutant is caught by the requirements it violates', () => {
  afterAll(() => {
    console.log(table())
  })

  it.concurrent.each(cases.map((c) => [label(c), c] as const))('%s', async (_, c) => {
    const o = await runSlot(() => run(c))
    outcomes.set(c, o)
    const missed = Object.entries(o.declared).filter(([id, status]) => !counts(c, id, status))
    expect(missed, `${c.mutant.defect}\n${o.output}`).toEqual([])
    expect(o.exitCode, o.output).toBe(1)
  }, TIMEOUT_MS)

  it('fails exactly the declared requirements in at least 95% of the runs', () => {
    const done = cases.filter((c) => outcomes.has(c))
    const exact = done.filter((c) => isExact(c, outcomes.get(c)!))
    expect(done.length, 'every mutant run finished').toBe(cases.length)
    expect(exact.length / done.length, table()).toBeGreaterThanOrEqual(PRECISION)
  })
})
