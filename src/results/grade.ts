/**
 * The one grading pipeline of every command (`check`, `verify-pact`, `client-check`, the vitest adapter):
 * the catalogue's levels for the run's profile, redaction, reproductions, expected failures, the roll-up per
 * requirement, the run's verdict, the reports and the exit code.
 * @module
 */
import type { CheckOutcome } from '../engine/outcome.js'
import type { Profile } from '../profile.js'
import { redactExchange, type Redactor } from '../redact/index.js'
import { loadRequirements } from '../requirements/index.js'
import { applyExpectedFailures, type ExpectedFailure } from './expected-failures.js'
import type { CheckResult, Level, RunResults } from './model.js'
import { writeReports } from './reporters/index.js'
import { exitCode, rollUp, strongestLevel, type CatalogueEntry } from './rollup.js'
import { runResults } from './run-results.js'
import { reproductionScript, type ScriptTarget } from './script.js'

/**
 * An engine outcome as a results entry: secrets redacted, a failure's reproduction a shell script built from
 * the raw exchanges (secrets become environment variables; the redactor still passes over it).
 */
export function checkResultOf(outcome: CheckOutcome, levelFor: (id: string) => Level | undefined,
  redact: Redactor, target: ScriptTarget): CheckResult {
  const transcript = outcome.exchanges.map((e) => redactExchange(e, redact))
  const failed = outcome.status === 'failed' || outcome.status === 'errored'
  const steps = outcome.steps.map((s) => ({ ...s, message: redact(s.message) }))
  return {
    id: outcome.id,
    title: outcome.title,
    requirements: [...outcome.requirements],
    level: strongestLevel(outcome.requirements, levelFor),
    status: failed ? 'failed' : outcome.status as 'passed' | 'skipped',
    message: redact(outcome.message),
    reproduction: failed ? redact(reproductionScript({
      id: outcome.id, title: outcome.title, requirements: outcome.requirements, message: outcome.message,
      failures: outcome.steps.filter((s) => s.status === 'failed'),
      exchanges: outcome.reproducedBy ?? outcome.exchanges, notes: outcome.reproduction,
    }, target)) : null,
    durationMs: outcome.durationMs,
    transcript,
    steps,
    ...(outcome.status === 'errored' && { errored: true }),
  }
}

export interface GradeRunOptions {
  side: 'OOB-S-' | 'OOB-C-'
  profile: Profile
  /** Base URL of the server under test (or of client-check's mock). */
  target: string
  seed: number
  startedAt: Date
  redact: Redactor
  strict: boolean
  requireComplete?: boolean
  expectedFailures?: ExpectedFailure[]
  /** Where the reports go; none are written without it (the vitest adapter). */
  reportDir?: string
  /** Lines for the summary besides the expected-failure notices (a rate-limited run, …). */
  notes?: string[]
  /** The shard of the checks this run ran (`--shard`). */
  shard?: RunResults['shard']
  /** The run was stopped before every check finished. */
  interrupted?: boolean
}

export interface GradedRun {
  results: RunResults
  code: 0 | 1
  files: string[]
  notes: string[]
}

/** The catalogue's requirements of the run's side that apply under `profile`, with their levels there. */
export function catalogueFor(profile: Profile): CatalogueEntry[] {
  const catalogue = loadRequirements()
  return catalogue.forProfile(profile)
    .map((r) => ({ id: r.id, level: catalogue.levelFor(r.id, profile)!, title: r.title }))
}

export async function gradeRun(checks: CheckResult[], options: GradeRunOptions): Promise<GradedRun> {
  const applicable = catalogueFor(options.profile)
  const { checks: marked, notices } = applyExpectedFailures(withoutInapplicable(checks, applicable),
    options.expectedFailures ?? [], new Date())
  const graded = rollUp(marked, applicable, { strict: options.strict, side: options.side })
  const results = runResults({ target: options.target, profile: options.profile, seed: options.seed,
    startedAt: options.startedAt, graded, strict: options.strict, shard: options.shard,
    interrupted: options.interrupted })
  const notes = [...notices.map((n) => n.message), ...(options.notes ?? [])]
  const files = options.reportDir === undefined ? []
    : await writeReports(options.reportDir, results, { redact: options.redact, strict: options.strict, notes })
  const code = exitCode(results, { strict: options.strict, requireComplete: options.requireComplete ?? false })
  return { results, code, files, notes }
}

/** A check may name requirements that do not apply under the run's profile; they drop out of its roll-up. */
function withoutInapplicable(checks: CheckResult[], applicable: { id: string }[]): CheckResult[] {
  const ids = new Set(applicable.map((r) => r.id))
  const keep = (id: string) => ids.has(id) || !id.startsWith('OOB-')
  return checks.map((c) => ({
    ...c,
    requirements: c.requirements.filter(keep),
    ...(c.steps !== undefined && { steps: c.steps.filter((s) => keep(s.requirement)) }),
  }))
}
