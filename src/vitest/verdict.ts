/**
 * A graded check as a vitest test's fate: pass, pass with a warning annotation, skip with the reason, or fail
 * with an error naming the failed requirements, the broken expectation and the curl reproduction.
 * @module
 */
import type { CheckResult, Level } from '../results/model.js'

export type Verdict =
  | { kind: 'pass' }
  | { kind: 'warn'; message: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'fail'; message: string }

/** A check's failure as a test error; its stack is the message alone: the fault is the server's, not a line of code. */
export class ConformanceFailure extends Error {
  constructor(readonly check: string, message: string) {
    super(message)
    this.name = 'ConformanceFailure'
    this.stack = `${this.name}: ${message}`
  }
}

/** `check` as graded by `gradeRun` (redacted, expected failures applied, SHOULD/MAY failures as warnings). */
export function verdictOf(check: CheckResult, levelFor: (id: string) => Level | undefined): Verdict {
  switch (check.status) {
    case 'passed':
      return { kind: 'pass' }
    case 'skipped':
      return { kind: 'skip', reason: check.message }
    case 'warning':
      return { kind: 'warn', message: [check.message, ...failedSteps(check, levelFor)].join('\n') }
    case 'failed':
      return { kind: 'fail', message: failureMessage(check, levelFor) }
  }
}

function failedSteps(check: CheckResult, levelFor: (id: string) => Level | undefined): string[] {
  return (check.steps ?? []).filter((s) => s.status === 'failed').map((s) => {
    const expected = s.expectedFailure ? ` (expected failure: ${s.expectedFailure.reason})` : ''
    return `  ✗ ${s.requirement} (${levelFor(s.requirement) ?? 'MUST'}): ${s.message}${expected}`
  })
}

export function failureMessage(check: CheckResult, levelFor: (id: string) => Level | undefined): string {
  const steps = check.steps ?? []
  const failed = steps.filter((s) => s.status === 'failed')
  const lines: string[] = []
  if (check.errored) {
    lines.push(`${check.id} could not finish: ${check.message}`)
  } else if (failed.length > 0) {
    lines.push(`${check.id} failed ${failed.map((s) => s.requirement).join(', ')}: ${check.message}`)
  } else {
    lines.push(`${check.id} failed (${check.requirements.join(', ')}): ${check.message}`)
  }
  lines.push(...failedSteps(check, levelFor))
  for (const s of steps.filter((s) => s.status === 'not-reached')) {
    lines.push(`  · ${s.requirement} not reached${s.blockedBy ? ` (${s.blockedBy} failed first)` : ''}`)
  }
  if (check.reproduction) lines.push('reproduction:', check.reproduction)
  return lines.join('\n')
}
