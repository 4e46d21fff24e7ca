/**
 * `oob-conformance check`: the command's terminal side. The work — resolve the target (or start the embedded
 * reference server), load the suites, run their checks in this process, grade the results per requirement, write
 * the reports — is {@link executeCheck} (src/check.ts, also the package's programmatic `runCheck`); this layer
 * prints progress and the summary, handles Ctrl-C and SIGTERM, and returns the exit code.
 * @module
 */
import pc from 'picocolors'
import { EMBEDDED_LIFETIMES, executeCheck, parseSuites, SUITES } from '../check.js'
import { withConfigFile, type CheckOptions, type RunFileOptions } from '../config/resolve.js'
import type { EngineListener } from '../engine/events.js'
import type { RunResults } from '../results/model.js'
import { appendStepSummary, MARKS, outputMode, SIGNAL_EXIT, type OutputMode } from './output.js'

export { EMBEDDED_LIFETIMES, parseSuites, SUITES }

export interface CheckCommandOptions extends CheckOptions, RunFileOptions {
  /** Default `reports`, after the config file had its say. */
  reportDir?: string
}

/** The CLI layer over {@link executeCheck}: progress on stderr, Ctrl-C while the checks run, the summary on stdout. */
export async function runCheck(given: CheckCommandOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const options = withConfigFile(given)
  const mode = outputMode(options)
  const out = process.stderr
  const interrupt = new AbortController()
  let stoppedBy: keyof typeof SIGNAL_EXIT | undefined
  const onSignal = (signal: keyof typeof SIGNAL_EXIT) => {
    if (stoppedBy) process.exit(SIGNAL_EXIT[signal])
    stoppedBy = signal
    out.write(pc.yellow(`\ninterrupted (${signal}): stopping the running checks and writing the reports of ` +
      'those that finished (Ctrl-C again to quit now)\n'))
    interrupt.abort()
  }
  const onSigint = () => onSignal('SIGINT')
  const onSigterm = () => onSignal('SIGTERM')
  // A signal stops the checks (and still writes the reports) only while they run; before, it ends the process.
  const listen = (on: boolean) => {
    process[on ? 'on' : 'off']('SIGINT', onSigint)
    process[on ? 'on' : 'off']('SIGTERM', onSigterm)
  }
  const onEvent: EngineListener = (event) => {
    if (event.type === 'run-start') listen(true)
    else if (event.type === 'run-end') listen(false)
  }
  try {
    const run = await executeCheck({ ...options, reportDir: options.reportDir ?? 'reports', verbose: mode === 'verbose',
      env, onEvent, signal: interrupt.signal, ...(mode !== 'quiet' && { out }) })
    await appendStepSummary(run.files, env)
    printSummary(run.results, run.files, run.notes, run.exitCode, Boolean(options.requireComplete), mode)
    // The reports are written: an aborted check's body may still hold a timer or a request (the runner drops
    // what it does after the abort), which must not keep a stopped run alive.
    if (stoppedBy) process.exit(SIGNAL_EXIT[stoppedBy])
    return run.exitCode
  } finally {
    listen(false)
  }
}

function printSummary(results: RunResults, files: string[], notes: string[], code: number, requireComplete: boolean,
  mode: OutputMode): void {
  const { passed, failed, warnings, skipped } = results.summary
  const reqs = results.requirements
  const count = (status: string) => reqs.filter((r) => r.status === status).length
  const { completeness } = results
  const verdict = results.verdict === 'failed' ? pc.red(pc.bold('FAIL'))
    : results.verdict === 'incomplete' ? pc.yellow(pc.bold('INCOMPLETE')) : pc.green(pc.bold('PASS'))
  const headline = `${verdict}  checks: ${passed} passed, ${failed} failed, ${warnings} warnings, ${skipped} skipped ` +
    `(${(results.durationMs / 1000).toFixed(1)} s)`
  if (mode === 'quiet') {
    process.stdout.write(`${headline}${results.interrupted ? ', interrupted' : ''}; reports: ${files.join(', ')}\n`)
    return
  }
  const lines = [
    '',
    headline,
    `      requirements: ${count('passed')} passed, ${count('failed')} failed, ${count('warning')} warnings, ` +
      `${count('skipped')} skipped, ${count('untested')} untested; ` +
      `MUSTs exercised ${completeness.mustExercised} of ${completeness.mustInScope}`,
  ]
  if (results.interrupted) {
    lines.push(`  ${MARKS.warning} interrupted: the reports hold the checks that finished; the others are skipped`)
  }
  if (results.shard) lines.push(`  shard ${results.shard.index}/${results.shard.count} of the checks (merge-reports joins the shards)`)
  for (const r of reqs.filter((r) => r.status === 'failed')) {
    lines.push(`  ${MARKS.failed} ${r.id} (${r.level}) ${r.title ?? ''} ← ${r.reason ?? r.checks.join(', ')}`)
  }
  for (const check of results.checks.filter((c) => c.errored && c.status === 'failed')) {
    lines.push(`  ${MARKS.failed} ${check.id} could not finish: ${check.message}`)
  }
  if (results.verdict === 'incomplete') {
    const shown = completeness.notExercised.slice(0, 8)
    lines.push(`  ${MARKS.warning} ${completeness.notExercised.length} MUST requirement(s) were not exercised` +
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
