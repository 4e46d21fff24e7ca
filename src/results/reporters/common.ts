/**
 * What the four writers share: the verdict line, counts, grouping and markup escaping.
 * @module
 */
import { exitCode } from '../rollup.js'
import type { CheckResult, CheckStatus, RequirementStatus, RunResults } from '../model.js'

export interface ReportOptions {
  /** `--strict`: the verdict must agree with the exit code. */
  strict?: boolean
  /** Run-level notes shown in summary.md and report.html, e.g. expected-failures notices. */
  notes?: string[]
}

export interface Verdict {
  /**
   * `FAILED`, `INCOMPLETE` (nothing failed, but a MUST the run set out to check was not exercised),
   * `PASSED WITH WARNINGS`, `PASSED`, or `NOTHING TESTED` when every check was skipped.
   */
  word: string
  /** CSS class and status word of the same meaning. */
  status: CheckStatus
  /** `3 failed, 1 warning, 40 passed, 2 skipped (46 checks)`. */
  counts: string
}

export function verdict(results: RunResults, opts: ReportOptions): Verdict {
  const { passed, failed, warnings, skipped } = results.summary
  const counts = `${failed} failed, ${warnings} warning${warnings === 1 ? '' : 's'}, ${passed} passed, ` +
    `${skipped} skipped (${results.checks.length} checks)`
  const strict = opts.strict ?? false
  if (exitCode(results, { strict }) === 1) return { word: 'FAILED', status: 'failed', counts }
  if (passed + failed + warnings === 0) return { word: 'NOTHING TESTED', status: 'skipped', counts }
  if (results.verdict === 'incomplete') {
    const { mustExercised, mustInScope } = results.completeness
    return { word: 'INCOMPLETE', status: 'skipped',
      counts: `${counts}; ${mustExercised} of ${mustInScope} MUST requirements exercised` }
  }
  if (warnings > 0) return { word: 'PASSED WITH WARNINGS', status: 'warning', counts }
  return { word: 'PASSED', status: 'passed', counts }
}

export const requirementStatuses: readonly RequirementStatus[] =
  ['passed', 'failed', 'warning', 'skipped', 'untested']

export function requirementCounts(results: RunResults): Record<RequirementStatus, number> {
  const counts = { passed: 0, failed: 0, warning: 0, skipped: 0, untested: 0 }
  for (const r of results.requirements) counts[r.status]++
  return counts
}

export function checkCounts(results: RunResults): Record<CheckStatus, number> {
  const { passed, failed, warnings, skipped } = results.summary
  return { passed, failed, warning: warnings, skipped }
}

/** The suite a check belongs to: its id up to the first `/`. */
export function suiteOf(check: CheckResult): string {
  const slash = check.id.indexOf('/')
  return slash === -1 ? check.id : check.id.slice(0, slash)
}

/** Reading order: what needs attention first. */
const attention: Record<CheckStatus, number> = { failed: 0, warning: 1, skipped: 2, passed: 3 }

export function byAttention(checks: CheckResult[]): CheckResult[] {
  return [...checks].sort((a, b) => attention[a.status] - attention[b.status])
}

/**
 * Text as XML/HTML character data. XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF even
 * as character references (§2.2), so they are written out as visible `\uXXXX` instead.
 */
export function escapeMarkup(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|\p{Cs}/gu,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/[&<>]/g, (c) => entities[c]!)
}

/**
 * A double-quoted attribute value. Parsers also normalise raw newlines and tabs in attributes to spaces
 * (XML §3.3.3), so those become character references to survive.
 */
export function escapeAttribute(text: string): string {
  return escapeMarkup(text).replace(/["'\t\n\r]/g, (c) => entities[c] ?? `&#${c.charCodeAt(0)};`)
}

const entities: Record<string, string> =
  { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function seconds(ms: number): string {
  return (ms / 1000).toFixed(3)
}

/** `1 poll`, `3 polls`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
