/**
 * Grades check results and rolls them up per requirement of the catalogue, from the evidence of their steps:
 * a requirement passes only when some step evaluated it and it held, fails only where its own expectation
 * broke, and is otherwise skipped with the reason (or untested when no check is meant to judge it).
 * @module
 */
import { OobConformanceError } from '../errors.js'
import type {
  CheckResult, CheckStatus, Completeness, Level, RequirementResult, RunResults, RunSummary, RunVerdict, StepResult,
} from './model.js'

/** One catalogue entry, as `spec/requirements.yaml` lists it. */
export interface CatalogueEntry {
  id: string
  level: Level
  title: string
}

export interface RollUpOptions {
  /** `--strict`: a failed SHOULD/MAY stays failed instead of becoming a warning. */
  strict: boolean
  /** The run's side: `OOB-S-` for `check` (server requirements), `OOB-C-` for `client-check`. */
  side: 'OOB-S-' | 'OOB-C-'
}

export interface RollUp {
  /** The checks as graded: a check whose failed steps are all SHOULD/MAY becomes a warning unless strict. */
  checks: CheckResult[]
  requirements: RequirementResult[]
  summary: RunSummary
  completeness: Completeness
}

const LEVEL_RANK: Record<Level, number> = { MUST: 3, SHOULD: 2, MAY: 1 }

/** The strongest level among `requirements` (an id the catalogue lacks counts as MUST). */
export function strongestLevel(requirements: readonly string[], levelFor: (id: string) => Level | undefined): Level {
  let level: Level = 'MAY'
  for (const id of requirements) {
    const l = levelFor(id) ?? 'MUST'
    if (LEVEL_RANK[l] > LEVEL_RANK[level]) level = l
  }
  return requirements.length === 0 ? 'MUST' : level
}

/** A check's steps; a check without any (client-check, verify-pact) gives each listed id its own status. */
export function stepsOf(check: CheckResult): StepResult[] {
  if (check.steps) return check.steps
  const status = check.status === 'failed' || check.status === 'warning' ? 'failed'
    : check.status === 'passed' ? 'passed' : 'skipped'
  return check.requirements.map((requirement) => ({
    requirement, status, message: check.message, passes: status === 'passed' ? 1 : 0,
    ...(check.expectedFailure !== undefined && { expectedFailure: check.expectedFailure }),
  }))
}

/**
 * Grades `checks` (expected failures should already be applied, see `applyExpectedFailures`) and reports
 * every catalogue requirement of the run's side, untested ones included, in catalogue order.
 */
export function rollUp(checks: CheckResult[], catalogue: CatalogueEntry[], opts: RollUpOptions): RollUp {
  const levels = new Map(catalogue.map((r) => [r.id, r.level]))
  for (const check of checks) {
    const ids = new Set([...check.requirements, ...stepsOf(check).map((s) => s.requirement)])
    const unknown = [...ids].filter((id) => !levels.has(id))
    if (unknown.length > 0) {
      throw new OobConformanceError('ERR_SPEC_INVALID',
        `check ${check.id} names requirement(s) missing from the catalogue: ${unknown.join(', ')}`)
    }
  }
  const levelFor = (id: string) => levels.get(id)
  const graded = checks.map((check) => grade(check, levelFor, opts.strict))

  const byRequirement = new Map<string, { check: CheckResult; step: StepResult }[]>()
  for (const check of graded) {
    for (const step of stepsOf(check)) {
      byRequirement.set(step.requirement, [...(byRequirement.get(step.requirement) ?? []), { check, step }])
    }
  }
  const requirements = catalogue
    .filter((r) => r.id.startsWith(opts.side))
    .map((r): RequirementResult => requirementResult(r, byRequirement.get(r.id) ?? [], opts.strict))
  return { checks: graded, requirements, summary: summarise(graded), completeness: completeness(requirements, graded) }
}

function requirementResult(r: CatalogueEntry, evidence: { check: CheckResult; step: StepResult }[],
  strict: boolean): RequirementResult {
  const checks = [...new Set(evidence.map((e) => e.check.id))]
  const passes = evidence.reduce((sum, e) => sum + e.step.passes, 0)
  const base = { id: r.id, level: r.level, checks, title: r.title, passes }
  const failed = evidence.filter((e) => e.step.status === 'failed')
  // (Checks without steps — client-check, verify-pact — keep grading a MAY as a warning.)
  if (failed.length > 0 && r.level === 'MAY' && failed.every((e) => e.check.steps !== undefined)) {
    // A MAY is a permission: a server that does not offer it is not wrong (RFC 2119 §5).
    const first = failed[0]!
    if (!evidence.some((e) => e.step.status === 'passed')) {
      return { ...base, status: 'skipped', reason: `optional (MAY), not offered: ${first.check.id}: ${first.step.message}` }
    }
    return { ...base, status: 'passed' }
  }
  if (failed.length > 0) {
    const unexpected = failed.filter((e) => e.step.expectedFailure === undefined)
    const first = (unexpected[0] ?? failed[0])!
    const reason = `${first.check.id}: ${first.step.message}`
    const counts = unexpected.length > 0 && (r.level === 'MUST' || strict)
    return { ...base, status: counts ? 'failed' : 'warning', reason }
  }
  if (evidence.some((e) => e.step.status === 'passed')) return { ...base, status: 'passed' }
  if (evidence.length === 0) return { ...base, status: 'untested' }
  const first = evidence[0]!
  const why = first.step.status === 'not-reached'
    ? `not reached: ${first.step.blockedBy} failed first in ${first.check.id}`
    : `${first.check.id}: ${first.step.message}`
  return { ...base, status: 'skipped', reason: why }
}

/**
 * A check's grade: failed when a step broke a requirement that counts (MUST, or any under --strict) or the
 * check errored; a warning when only SHOULD/MAY steps failed or every failure is expected.
 */
function grade(check: CheckResult, levelFor: (id: string) => Level | undefined, strict: boolean): CheckResult {
  if (check.status !== 'failed' && check.status !== 'warning') return check
  if (check.steps === undefined) {
    // A check without steps: its strongest level decides, as the check itself reported it.
    if (check.status === 'warning' || strict || check.level === 'MUST') return check
    const why = check.level === 'SHOULD' ? 'SHOULD not met' : 'optional (MAY) behaviour off'
    return { ...check, status: 'warning', message: `${why}: ${check.message}` }
  }
  const failed = check.steps.filter((s) => s.status === 'failed')
  const unexpected = failed.filter((s) => s.expectedFailure === undefined)
  const level = failed.length > 0 ? strongestLevel(failed.map((s) => s.requirement), levelFor) : check.level
  if (check.errored) return { ...check, level, status: check.expectedFailure ? 'warning' : 'failed' }
  if (failed.length > 0 && level === 'MAY') {
    // Only optional behaviour was missing: nothing to fix, nothing judged against the server.
    return { ...check, level, status: 'skipped', message: `optional (MAY) behaviour not offered: ${check.message}` }
  }
  if (unexpected.length === 0) return { ...check, level, status: 'warning' }
  const counts = strict || strongestLevel(unexpected.map((s) => s.requirement), levelFor) === 'MUST'
  if (counts) return { ...check, level, status: 'failed' }
  const why = level === 'SHOULD' ? 'SHOULD not met' : 'optional (MAY) behaviour off'
  return { ...check, level, status: 'warning', message: `${why}: ${check.message}` }
}

function summarise(checks: CheckResult[]): RunSummary {
  const count = (status: CheckStatus) => checks.filter((c) => c.status === status).length
  return {
    passed: count('passed'), failed: count('failed'), warnings: count('warning'), skipped: count('skipped'),
  }
}

/** The MUSTs the run's checks set out to judge (declared or evaluated), and which of them no step evaluated. */
function completeness(requirements: RequirementResult[], checks: CheckResult[]): Completeness {
  const inScope = new Set(checks.flatMap((c) => [...c.requirements, ...stepsOf(c).map((s) => s.requirement)]))
  const musts = requirements.filter((r) => r.level === 'MUST' && inScope.has(r.id))
  const notExercised = musts
    .filter((r) => r.status === 'skipped' || r.status === 'untested')
    .map((r) => ({ id: r.id, reason: r.reason ?? 'no check evaluated it' }))
  return { mustInScope: musts.length, mustExercised: musts.length - notExercised.length, notExercised }
}

/**
 * The process exit code for a finished run (DESIGN.md): 1 iff a check failed; under `--strict` a warning
 * counts too, except one that an expected-failures entry produced — that file exists to let CI stay green
 * meanwhile; under `--require-complete` an incomplete run counts too. Exit code 2 (usage, config, unreachable
 * target) is the CLI's business, never a result.
 */
export function exitCode(results: Pick<RunResults, 'checks'> & Partial<Pick<RunResults, 'verdict'>>,
  opts: { strict: boolean; requireComplete?: boolean }): 0 | 1 {
  if (opts.requireComplete && results.verdict === 'incomplete') return 1
  return failedRun(results.checks, opts.strict) ? 1 : 0
}

function failedRun(checks: readonly CheckResult[], strict: boolean): boolean {
  return checks.some((c) =>
    c.status === 'failed' || (strict && c.status === 'warning' && c.expectedFailure === undefined &&
      !(c.steps ?? []).some((s) => s.expectedFailure !== undefined)))
}

/** `failed` when the run fails; else `incomplete` when an in-scope MUST was not exercised; else `passed`. */
export function runVerdict(rollup: Pick<RollUp, 'checks' | 'completeness'>, opts: { strict: boolean }): RunVerdict {
  if (failedRun(rollup.checks, opts.strict)) return 'failed'
  return rollup.completeness.notExercised.length > 0 ? 'incomplete' : 'passed'
}
