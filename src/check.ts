/**
 * The work of `oob-conformance check`, shared by the CLI (src/cli/check.ts) and the programmatic entry point
 * (src/index.ts): resolve the target (or start the embedded reference server), load the suites, run their checks
 * in this process, grade the results per requirement and write the reports. Nothing is printed unless `out` is
 * given; the CLI passes stderr and prints the summary itself.
 * @module
 */
import pc from 'picocolors'
import { readConfigFile, resolveCheckConfig, targetGiven, type CheckOptions } from './config/resolve.js'
import type { TargetConfig } from './config/target.js'
import { controlApiDriver } from './drivers/control-api.js'
import type { Driver } from './drivers/driver.js'
import { interactiveDriver } from './drivers/interactive.js'
import { loadDriverModule } from './drivers/module.js'
import { isSuite, loadSuites, SUITES, type Suite } from './engine/load.js'
import type { EngineEvent, EngineListener } from './engine/events.js'
import { runChecks } from './engine/runner.js'
import { OobConformanceError } from './errors.js'
import { HttpClient } from './http/client.js'
import { createRedactor } from './redact/index.js'
import { startReferenceServer } from './reference-server/index.js'
import { loadExpectedFailures } from './results/expected-failures.js'
import { catalogueFor, checkResultOf, gradeRun } from './results/grade.js'
import type { Level, RunResults } from './results/model.js'
import { progressPrinter } from './cli/progress.js'

export { SUITES }

/** Lifetimes of the embedded server: long enough for a loaded CI machine, short enough for a fast demo. */
export const EMBEDDED_LIFETIMES = { interval: 1, expiresIn: 30 }

/** The suites `check` runs when none are named. */
export const DEFAULT_SUITES: readonly Suite[] = ['schema', 'flows', 'properties', 'security']

export interface CheckRunOptions extends CheckOptions {
  /** Comma-separated list or array of suites (default schema,flows,properties,security). */
  suites?: string | readonly string[]
  /** Where to write results.json, junit.xml, summary.md, report.html; no reports without it. */
  reportDir?: string
  /** YAML/JSON file of known failures, which become warnings. */
  expectedFailures?: string
  strict?: boolean
  requireComplete?: boolean
  /** Environment for the secrets (OOB_CLIENT_SECRET, …); default `process.env`. */
  env?: NodeJS.ProcessEnv
  /** The engine's progress events, as they happen. */
  onEvent?: EngineListener
  /** Where to print status lines and progress (secrets redacted); nothing is printed without it. */
  out?: NodeJS.WritableStream
  /** Interrupts the run: running checks are aborted, the rest are skipped, and the reports are still written. */
  signal?: AbortSignal
}

export interface CheckRun {
  results: RunResults
  /** 0: no MUST failed (nor a SHOULD under `strict`, nor an incomplete run under `requireComplete`); else 1. */
  exitCode: 0 | 1
  /** The report files written (none without `reportDir`). */
  files: string[]
  /** Notes for the summary: expected-failure notices, rate limiting, an interrupted run. */
  notes: string[]
  /** The run was interrupted through `signal`: checks not finished are skipped. */
  interrupted: boolean
}

export function parseSuites(list: string | readonly string[]): Suite[] {
  const text = typeof list === 'string' ? list : list.join(',')
  const suites = text.split(',').map((s) => s.trim()).filter(Boolean)
  const unknown = suites.filter((s) => !isSuite(s))
  if (unknown.length > 0 || suites.length === 0) {
    const what = unknown.length > 0 ? `unknown suite ${unknown.join(', ')}` : 'no suite named'
    throw new OobConformanceError('ERR_USAGE', `--suites "${text}": ${what}; choose from ${SUITES.join(', ')}`)
  }
  return suites as Suite[]
}

/** Any HTTP answer from the token endpoint proves the target is there; no answer ends the run with exit code 2. */
export async function preflight(target: TargetConfig): Promise<void> {
  const http = new HttpClient({ timeoutMs: target.requestTimeoutMs, maxResponseBytes: target.maxResponseBytes })
  try {
    await http.send({ method: 'POST', url: target.endpoints.token, body: '', retryOn429: false })
  } catch (e) {
    throw new OobConformanceError('ERR_TARGET_UNREACHABLE', `target unreachable: ${(e as Error).message}`)
  }
}

async function startDriver(spec: string | undefined, target: TargetConfig): Promise<Driver | undefined> {
  if (spec === 'interactive') return interactiveDriver()
  if (spec !== undefined) return loadDriverModule(spec)
  if (target.controlUrl !== undefined) {
    return controlApiDriver(target.controlUrl, { timeoutMs: target.requestTimeoutMs, maxResponseBytes: target.maxResponseBytes })
  }
  return undefined
}

/**
 * Runs `check` in this process and returns the graded results. Usage and configuration errors, and an
 * unreachable target, throw an {@link OobConformanceError} (the CLI's exit code 2).
 */
export async function executeCheck(options: CheckRunOptions): Promise<CheckRun> {
  const suites = parseSuites(options.suites ?? DEFAULT_SUITES)
  const env = options.env ?? process.env
  const out = options.out
  const cleanups: (() => Promise<void>)[] = []
  try {
    let embeddedUrl: string | undefined
    const expected = options.expectedFailures ? await loadExpectedFailures(options.expectedFailures) : []
    const { checks, graders } = await loadSuites(suites)
    if (checks.length === 0 && graders.length > 0) {
      throw new OobConformanceError('ERR_USAGE', `--suites ${suites.join(',')}: the schema suite grades the ` +
        'responses other suites receive; add flows, properties, security or pact')
    }
    if (!targetGiven(options)) {
      // The embedded server must speak the profile the checks expect, which the config file may set.
      const chosen = options.profile ?? (options.config ? readConfigFile(options.config).profile : undefined)
      const profile = chosen === 'rfc' ? 'rfc' : 'okta'
      const embedded = await startReferenceServer({ profile, ...EMBEDDED_LIFETIMES, control: true })
      cleanups.push(embedded.close)
      embeddedUrl = embedded.url
      out?.write(pc.dim(`started the embedded reference server (profile ${profile}) at ${embedded.url} ` +
        `(interval ${EMBEDDED_LIFETIMES.interval} s, expires_in ${EMBEDDED_LIFETIMES.expiresIn} s)\n`))
    }
    const { target, driver: driverSpec } = resolveCheckConfig(options, env, embeddedUrl)
    if (embeddedUrl) target.controlUrl = `${embeddedUrl}/control`
    const driver = await startDriver(driverSpec, target)
    if (driver?.close) cleanups.push(() => driver.close!())
    await preflight(target)

    const secrets = [target.accounts.clients.confidential.clientSecret].filter((s): s is string => Boolean(s))
    const redact = createRedactor(secrets)
    const selected = checks.filter((c) => c.options.profile === undefined || c.options.profile === target.profile)
    if (selected.length === 0) {
      throw new OobConformanceError('ERR_USAGE', `--suites ${suites.join(',')}: no check of these suites applies ` +
        `under the ${target.profile} profile`)
    }
    const driverName = driverSpec ?? (target.controlUrl ? 'test-control API' : 'none (checks that need the user are skipped)')
    out?.write(`${pc.bold('oob-conformance check')} ${target.baseUrl} — profile ${target.profile}, seed ${target.seed}, ` +
      `suites ${suites.join(',')}, ${selected.length} checks, driver ${driverName}\n`)
    const startedAt = new Date()
    const print = out ? progressPrinter(out, redact) : undefined
    const listener = options.onEvent
    const onEvent: EngineListener = (event: EngineEvent) => {
      print?.(event)
      listener?.(event)
    }
    const run = await runChecks({ checks: selected, graders, target, driver, signal: options.signal, onEvent })

    const levels = new Map(catalogueFor(target.profile).map((r) => [r.id, r.level]))
    const levelFor = (id: string) => levels.get(id) as Level | undefined
    const results = run.outcomes.map((outcome) => checkResultOf(outcome, levelFor, redact,
      { ...target, ...(driverSpec !== undefined && { driver: driverSpec }) }))
    const notes: string[] = []
    if (run.rateLimited.pauses > 0) {
      notes.push(`the server told the run to wait ${run.rateLimited.pauses} time(s) (429 or 503): ` +
        `${(run.rateLimited.pausedMs / 1000).toFixed(1)} s paused in all`)
    }
    if (run.interrupted) notes.push('the run was interrupted (Ctrl-C): checks not finished are skipped')
    const graded = await gradeRun(results, {
      side: 'OOB-S-', profile: target.profile, target: target.baseUrl, seed: target.seed, startedAt, redact,
      strict: Boolean(options.strict), requireComplete: Boolean(options.requireComplete), expectedFailures: expected,
      ...(options.reportDir !== undefined && { reportDir: options.reportDir }), notes,
    })
    return { results: graded.results, exitCode: graded.code, files: graded.files, notes: graded.notes,
      interrupted: run.interrupted }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
  }
}
