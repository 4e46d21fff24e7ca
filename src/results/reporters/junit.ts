/**
 * `junit.xml` in the de-facto schema CI systems read (Jenkins, GitLab, GitHub test reporters): one testsuite
 * per suite, one testcase per check. JUnit knows passed, failed and skipped only; the two other outcomes are
 * marked so that no consumer shows them as plain passes:
 * - a warning (a SHOULD not met, an expected failure) stays a passing testcase — `<skipped>` would say the check
 *   did not run, `<failure>` would break builds that `--strict` leaves green — with a `status=warning`
 *   property and a `<system-out>` starting `warning:`, which Jenkins, GitLab and the GitHub JUnit actions show
 *   on the test's page;
 * - a check that could not judge is `<skipped message="not judged: …">`, one skipped by choice (no driver, a
 *   wait over --max-wait) `<skipped message="skipped: …">`; the `status` property says which.
 * @module
 */
import type { CheckResult, RunResults } from '../model.js'
import { escapeAttribute as attr, escapeMarkup as text, seconds, suiteOf } from './common.js'

export function renderJunit(results: RunResults): string {
  const suites = new Map<string, CheckResult[]>()
  for (const check of results.checks) {
    const suite = suiteOf(check)
    suites.set(suite, [...(suites.get(suite) ?? []), check])
  }

  const { failed, skipped } = results.summary
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="oob-conformance" tests="${results.checks.length}" failures="${failed}" errors="0" ` +
      `skipped="${skipped}" time="${seconds(results.durationMs)}" timestamp="${attr(results.startedAt)}">`,
  ]
  for (const [name, checks] of suites) {
    const count = (status: CheckResult['status']) => checks.filter((c) => c.status === status).length
    const time = checks.reduce((sum, c) => sum + c.durationMs, 0)
    lines.push(`  <testsuite name="${attr(name)}" tests="${checks.length}" failures="${count('failed')}" ` +
      `errors="0" skipped="${count('skipped')}" time="${seconds(time)}" ` +
      `timestamp="${attr(results.startedAt)}">`)
    for (const check of checks) lines.push(...testcase(check, name))
    lines.push('  </testsuite>')
  }
  lines.push('</testsuites>', '')
  return lines.join('\n')
}

function testcase(check: CheckResult, suite: string): string[] {
  const open = `    <testcase classname="${attr(suite)}" name="${attr(`${check.id} — ${check.title}`)}" ` +
    `time="${seconds(check.durationMs)}">`
  const properties = [
    '      <properties>',
    `        <property name="level" value="${check.level}"/>`,
    `        <property name="status" value="${statusOf(check)}"/>`,
    ...check.requirements.map((id) => `        <property name="requirement" value="${attr(id)}"/>`),
    '      </properties>',
  ]
  const body: string[] = []
  switch (check.status) {
    case 'failed': {
      const detail = check.reproduction === null ? check.message : `${check.message}\n\n${check.reproduction}`
      body.push(`      <failure message="${attr(check.message)}" type="${check.level}">` +
        `${text(detail)}</failure>`)
      break
    }
    case 'skipped':
      body.push(`      <skipped message="${attr(notJudged(check) ? check.message : `skipped: ${check.message}`)}"/>`)
      break
    case 'warning': {
      const reason = check.expectedFailure
        ? `\nexpected because: ${check.expectedFailure.reason}` +
          (check.expectedFailure.expires ? ` (until ${check.expectedFailure.expires})` : '')
        : ''
      const repro = check.reproduction === null ? '' : `\n\n${check.reproduction}`
      body.push(`      <system-out>${text(`warning: ${check.message}${reason}${repro}`)}</system-out>`)
      break
    }
    case 'passed':
      break
  }
  return [open, ...properties, ...body, '    </testcase>']
}

const notJudged = (check: CheckResult) => check.message.startsWith('not judged')

/** The check's outcome in words JUnit lacks: `passed`, `failed`, `warning`, `skipped` or `not-judged`. */
function statusOf(check: CheckResult): string {
  return check.status === 'skipped' && notJudged(check) ? 'not-judged' : check.status
}
