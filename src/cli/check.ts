/**
 * `oob-conformance check`: the command's terminal side. The work — resolve the target (or start the embedded
 * reference server), load the suites, run their checks in this process, grade the results per requirement, write
 * the reports — is {@link executeCheck} (src/check.ts, also the package's programmatic `runCheck`); this layer
 * prints progress and the summary, handles Ctrl-C, and returns the exit code.
 * @module
 */
import pc from 'picocolors'
import { EMBEDDED_LIFETIMES, executeCheck, parseSuites, SUITES } from '../check.js'
import type { CheckOptions } from '../config/resolve.js'
import type { EngineListener } from '../engine/events.js'
import type { RunResults } from '../results/model.js'

export { EMBEDDED_LIFETIMES, parseSuites, SUITES }

export interface CheckCommandOptions extends CheckOptions {
  suites: string
  reportDir: string
  expectedFailures?: string
  strict?: boolean
  requireComplete?: boolean
}

/** The CLI layer over {@link executeCheck}: progress on stderr, Ctrl-C while the checks run, the summary on stdout. */
export async function runCheck(options: CheckCommandOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out = process.stderr
  const interrupt = new AbortController()
  const onSigint = () => {
    if (interrupt.signal.aborted) process.exit(130)
    out.write(pc.yellow('\ninterrupted: stopping the running checks and writing the reports (Ctrl-C again to quit now)\n'))
    interrupt.abort()
  }
  // Ctrl-C stops the checks (and still writes the reports) only while they run; before, it ends the process.
  const onEvent: EngineListener = (event) => {
    if (event.type === 'run-start') process.on('SIGINT', onSigint)
    else if (event.type === 'run-end') process.off('SIGINT', onSigint)
  }
  try {
    const run = await executeCheck({ ...options, suites: parseSuites(options.suites), env, out, onEvent,
      signal: interrupt.signal })
    printSummary(run.results, run.files, run.notes, run.exitCode, Boolean(options.requireComplete))
    return run.interrupted ? 130 : run.exitCode
  } finally {
    process.off('SIGINT', onSigint)
  }
}

function printSummary(results: RunResults, files: string[], notes: string[], code: number, requireComplete: boolean): void {
  const { passed, failed, warnings, skipped } = results.summary
  const reqs = results.requirements
  const count = (status: string) => reqs.filter((r) => r.status === status).length
  const { completeness } = results
  const verdict = results.verdict === 'failed' ? pc.red(pc.bold('FAIL'))
    : results.verdict === 'incomplete' ? pc.yellow(pc.bold('INCOMPLETE')) : pc.green(pc.bold('PASS'))
  const lines = [
    '',
    `${verdict}  checks: ${passed} passed, ${failed} failed, ${warnings} warnings, ${skipped} skipped ` +
      `(${(results.durationMs / 1000).toFixed(1)} s)`,
    `      requirements: ${count('passed')} passed, ${count('failed')} failed, ${count('warning')} warnings, ` +
      `${count('skipped')} skipped, ${count('untested')} untested; ` +
      `MUSTs exercised ${completeness.mustExercised} of ${completeness.mustInScope}`,
  ]
  for (const r of reqs.filter((r) => r.status === 'failed')) {
    lines.push(`  ${pc.red('✗')} ${r.id} (${r.level}) ${r.title ?? ''} ← ${r.reason ?? r.checks.join(', ')}`)
  }
  for (const check of results.checks.filter((c) => c.errored && c.status === 'failed')) {
    lines.push(`  ${pc.red('✗')} ${check.id} could not finish: ${check.message}`)
  }
  if (results.verdict === 'incomplete') {
    const shown = completeness.notExercised.slice(0, 8)
    lines.push(`  ${pc.yellow('!')} ${completeness.notExercised.length} MUST requirement(s) were not exercised` +
      `${requireComplete ? ' (--require-complete: exit 1)' : ' (--require-complete makes this exit 1)'}:`)
    for (const r of shown) lines.push(`    ${r.id}: ${r.reason}`)
    if (completeness.notExercised.length > shown.length) {
      lines.push(`    … ${completeness.notExercised.length - shown.length} more in summary.md`)
    }
  }
  for (const note of notes) lines.push(`  ${pc.yellow('note')} ${note}`)
  lines.push(`  seed ${results.seed} (replay: --seed ${results.seed})`, `  reports: ${files.join(', ')}`)
  if (code !== 0 && results.verdict === 'passed') lines.push(`  exit ${code}`)
  process.stdout.write(lines.join('\n') + '\n')
}
