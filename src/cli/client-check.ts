/**
 * `oob-conformance client-check -- COMMAND…`: run a client once per scripted scenario, grade it per `OOB-C-…`
 * requirement, write the same reports as `check`, and return the same exit codes.
 * @module
 */
import { setMaxListeners } from 'node:events'
import pc from 'picocolors'
import { byCapability, runClientScenarios, selectScenarios, SETTLE_MS, TOLERANCE, type ClientType,
  type ScenarioResult } from '../client-check/index.js'
import { OobConformanceError } from '../errors.js'
import type { Profile } from '../profile.js'
import { CHANNELS, type Channel } from '../protocol/index.js'
import { loadExpectedFailures } from '../results/expected-failures.js'
import type { RunResults } from '../results/model.js'
import { exitCode } from '../results/rollup.js'
import { prepareReportDir, writeReports } from '../results/reporters/index.js'
import { integerOption } from './options.js'
import { appendStepSummary, MARKS, outputMode, SIGNAL_EXIT } from './output.js'

export interface ClientCheckCommandOptions {
  scenarios?: string
  reportDir: string
  profile: Profile
  timeout: string
  expectedFailures?: string
  strict?: boolean
  tls?: boolean
  /** Comma-separated channels the client supports. */
  channels?: string
  /** Comma-separated registrations the client can run as: public, confidential. */
  client?: string
  loginHint?: string
  quiet?: boolean
  verbose?: boolean
}

const CLIENT_TYPES: readonly ClientType[] = ['public', 'confidential']

/** A comma-separated subset of `allowed`, or a usage error naming the option and the choices. */
function listOption<T extends string>(name: string, value: string | undefined, allowed: readonly T[]):
  T[] | undefined {
  if (value === undefined) return undefined
  const items = value.split(',').map((item) => item.trim())
  const wrong = items.filter((item) => !(allowed as readonly string[]).includes(item))
  if (wrong.length > 0 || items.length === 0) {
    throw new OobConformanceError('ERR_USAGE', `${name} "${value}": ${wrong.map((w) => `"${w}"`).join(', ')} ` +
      `is not one of ${allowed.join(', ')}; give a comma-separated list, e.g. ${name} ${allowed[0]}`)
  }
  return [...new Set(items as T[])]
}

export async function runClientCheck(command: string[], options: ClientCheckCommandOptions,
  out: NodeJS.WritableStream = process.stderr): Promise<number> {
  if (command.length === 0) {
    throw new OobConformanceError('ERR_USAGE',
      'client-check: give the client command after --, e.g. -- node client.js')
  }
  const timeoutSeconds = integerOption('--timeout', options.timeout, 1)
  const names = options.scenarios?.split(',').map((s) => s.trim()).filter(Boolean)
  const channels = listOption<Channel>('--channels', options.channels, CHANNELS)
  const clientTypes = listOption('--client', options.client, CLIENT_TYPES)
  if (options.loginHint !== undefined && (options.loginHint === '' || /[\r\n]/.test(options.loginHint))) {
    throw new OobConformanceError('ERR_USAGE', '--login-hint must be one non-empty line, e.g. --login-hint alice')
  }
  const declared = { ...(channels !== undefined && { channels }), ...(clientTypes !== undefined && { clientTypes }),
    ...(options.loginHint !== undefined && { loginHint: options.loginHint }) }
  const { scenarios, skipped } = byCapability(selectScenarios(names, options.profile).scenarios, declared)
  const expectedFailures = options.expectedFailures === undefined
    ? []
    : await loadExpectedFailures(options.expectedFailures)
  const strict = Boolean(options.strict)
  const quiet = outputMode(options) === 'quiet'
  await prepareReportDir(options.reportDir)

  if (!quiet) {
    out.write(`${pc.bold('oob-conformance client-check')} ${command.join(' ')} — profile ${options.profile}, ` +
      `${scenarios.length} scenarios in parallel${skipped.length > 0 ? ` (${skipped.length} skipped: not declared)` : ''
      }, at most ${timeoutSeconds} s each${options.tls ? ', over HTTPS (OOB_CA_FILE)' : ''}\n` +
      pc.dim(`  timing: a request may come ${TOLERANCE.earlyMs} ms sooner than its rule asks (measured ` +
        `between arrivals) or ${TOLERANCE.lateMs} ms after expiry; a back-off waits ≥ ` +
        `${TOLERANCE.backoffFactor} × interval; a client still running ${SETTLE_MS / 1000} s after its flow ` +
        'ended is stopped\n'))
  }

  const controller = new AbortController()
  // One listener per running scenario.
  setMaxListeners(scenarios.length + 1, controller.signal)
  let stoppedBy: keyof typeof SIGNAL_EXIT = 'SIGINT'
  const interrupt = (signal: keyof typeof SIGNAL_EXIT) => {
    stoppedBy = signal
    controller.abort()
  }
  process.once('SIGINT', interrupt)
  process.once('SIGTERM', interrupt)
  try {
    const run = await runClientScenarios({ command }, {
      ...(names !== undefined && { scenarios: names }), ...declared, tls: Boolean(options.tls),
      profile: options.profile, timeoutSeconds, strict,
      expectedFailures, signal: controller.signal, onScenario: (result) => quiet || printScenario(out, result),
    })
    if (controller.signal.aborted) {
      out.write(`${pc.yellow(`interrupted (${stoppedBy})`)}: the clients were stopped; writing the reports of ` +
        'the scenarios that ended\n')
    }
    const files = await writeReports(options.reportDir, run.results,
      { redact: run.redact, strict, notes: run.notes })
    const code = exitCode(run.results, { strict })
    await appendStepSummary(files, process.env)
    printSummary(run.results, files, quiet ? [] : run.notes, code)
    return controller.signal.aborted ? SIGNAL_EXIT[stoppedBy] : code
  } finally {
    process.off('SIGINT', interrupt)
    process.off('SIGTERM', interrupt)
  }
}

function printScenario(out: NodeJS.WritableStream, { run, checks }: ScenarioResult): void {
  const time = pc.dim(`${(run.durationMs / 1000).toFixed(1)} s`)
  const failed = checks.filter((c) => c.status === 'failed')
  const warned = checks.filter((c) => c.status === 'warning')
  const mark = MARKS[failed.length > 0 ? 'failed' : warned.length > 0 ? 'warning' : 'passed']
  out.write(`  ${mark} ${run.scenario.name} ${time}\n`)
  for (const c of [...failed, ...warned]) {
    const colour = c.status === 'failed' ? pc.red : pc.yellow
    out.write(`      ${colour(c.requirements.join(', '))} ${c.message}\n`)
  }
}

function printSummary(results: RunResults, files: string[], notes: string[], code: number): void {
  const { passed, failed, warnings, skipped } = results.summary
  const count = (status: string) => results.requirements.filter((r) => r.status === status).length
  const lines = [
    '',
    `${results.interrupted && results.verdict !== 'failed' ? pc.yellow(pc.bold('INCOMPLETE'))
      : code === 0 ? pc.green(pc.bold('PASS')) : pc.red(pc.bold('FAIL'))}  checks: ${passed} passed, ` +
      `${failed} failed, ${warnings} warnings, ${skipped} skipped ` +
      `(${(results.durationMs / 1000).toFixed(1)} s)`,
    `      client requirements: ${count('passed')} passed, ${count('failed')} failed, ` +
      `${count('warning')} warnings, ${count('skipped')} skipped, ${count('untested')} untested`,
    ...results.requirements.filter((r) => r.status === 'failed' || r.status === 'warning').map((r) =>
      `  ${MARKS[r.status === 'failed' ? 'failed' : 'warning']} ${r.id} (${r.level}) ${r.title ?? ''} ← ` +
        r.checks.join(', ')),
    ...results.interrupted
      ? [`  ${MARKS.warning} interrupted: the reports hold the scenarios that ended; the others are not judged`]
      : [],
    ...notes.map((note) => `  ${pc.yellow('note')} ${note}`),
    `  reports: ${files.join(', ')}`,
  ]
  process.stdout.write(lines.join('\n') + '\n')
}
