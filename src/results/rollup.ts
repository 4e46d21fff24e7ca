/**
 * Grades check results and rolls them up per requirement of the catalogue.
 * @module
 */
import { OobConformanceError } from '../errors.js'
import type { CheckResult, CheckStatus, Level, RequirementResult, RequirementStatus, RunResults, RunSummary }
  from './model.js'

/** One catalogue entry, as `spec/requirements.yaml` lists it. */
export interface CatalogueEntry {
  id: string
  level: Level
  title: string
}

export interface RollUpOptions {
  /** `--strict`: a failed SHOULD/MAY check stays failed instead of becoming a warning. */
  strict: boolean
  /** The run's side: `OOB-S-` for `check` (server requirements), `OOB-C-` for `client-check`. */
  side: 'OOB-S-' | 'OOB-C-'
}

export interface RollUp {
  /** The checks as graded: failed SHOULD/MAY checks turned into warnings unless strict. */
  checks: CheckResult[]
  requirements: RequirementResult[]
  summary: RunSummary
}

/** A requirement takes the worst status among its checks; skipped only when every one was skipped. */
const precedence: readonly CheckStatus[] = ['failed', 'warning', 'passed', 'skipped']

/**
 * Grades `checks` (expected failures should already be applied, see `applyExpectedFailures`) and reports
 * every catalogue requirement of the run's side, untested ones included, in catalogue order.
 */
export function rollUp(checks: CheckResult[], catalogue: CatalogueEntry[], opts: RollUpOptions): RollUp {
  const known = new Set(catalogue.map((r) => r.id))
  for (const check of checks) {
    const unknown = check.requirements.filter((id) => !known.has(id))
    if (unknown.length > 0) {
      throw new OobConformanceError('ERR_SPEC_INVALID',
        `check ${check.id} names requirement(s) missing from the catalogue: ${unknown.join(', ')}`)
    }
  }

  const graded = checks.map((check) => grade(check, opts.strict))
  const byRequirement = new Map<string, CheckResult[]>()
  for (const check of graded) {
    for (const id of check.requirements) byRequirement.set(id, [...(byRequirement.get(id) ?? []), check])
  }

  const requirements = catalogue
    .filter((r) => r.id.startsWith(opts.side))
    .map((r): RequirementResult => {
      const covering = byRequirement.get(r.id) ?? []
      return {
        id: r.id,
        level: r.level,
        status: requirementStatus(covering.map((c) => c.status)),
        checks: covering.map((c) => c.id),
        title: r.title,
      }
    })
  return { checks: graded, requirements, summary: summarise(graded) }
}

function grade(check: CheckResult, strict: boolean): CheckResult {
  if (strict || check.status !== 'failed' || check.level === 'MUST') return check
  const why = check.level === 'SHOULD' ? 'SHOULD not met' : 'optional (MAY) behaviour off'
  return { ...check, status: 'warning', message: `${why}: ${check.message}` }
}

function requirementStatus(statuses: CheckStatus[]): RequirementStatus {
  return precedence.find((s) => statuses.includes(s)) ?? 'untested'
}

function summarise(checks: CheckResult[]): RunSummary {
  const count = (status: CheckStatus) => checks.filter((c) => c.status === status).length
  return {
    passed: count('passed'), failed: count('failed'), warnings: count('warning'), skipped: count('skipped'),
  }
}

/**
 * The process exit code for a finished run (DESIGN.md): 1 iff a check failed; under `--strict` a warning
 * counts too, except one that an expected-failures entry produced — that file exists to let CI stay green
 * meanwhile. Exit code 2 (usage, config, unreachable target) is the CLI's business, never a result.
 */
export function exitCode(results: Pick<RunResults, 'checks'>, opts: { strict: boolean }): 0 | 1 {
  const counts = (c: CheckResult) =>
    c.status === 'failed' || (opts.strict && c.status === 'warning' && c.expectedFailure === undefined)
  return results.checks.some(counts) ? 1 : 0
}
