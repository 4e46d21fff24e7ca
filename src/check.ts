/**
 * The work of `oob-conformance check`, shared by the CLI (src/cli/check.ts) and the programmatic entry point
 * (src/index.ts): resolve the target (or start the embedded reference server), load the suites, run their checks
 * in this process, grade the results per requirement and write the reports. Nothing is printed unless `out` is
 * given; the CLI passes stderr and prints the summary itself.
 * @module
 */
import pc from 'picocolors'
import {
  resolveSettings, resolveTarget, targetGiven, withConfigFile, type CheckOptions,
} from './config/resolve.js'
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
import { loadRequirements } from './requirements/index.js'
import { startReferenceServer } from './reference-server/index.js'
import { checkExpectedFailureIds, loadExpectedFailures } from './results/expected-failures.js'
import { catalogueFor, checkResultOf, gradeRun } from './results/grade.js'
import type { Level, RunResults } from './results/model.js'
import { prepareReportDir } from './results/reporters/index.js'
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
  /** Under `out`, also each check's start and every step's verdict. */
  verbose?: boolean
  /** `i/n`: run the i-th of n deterministic slices of the checks (by id), for a CI matrix; see merge-reports. */
  shard?: string
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

/**
 * Probes the target before any check runs: a POST without parameters to the initiation endpoint and to the
 * token endpoint. An OAuth server answers it with an error (RFC 6749 §5.2: 400 invalid_request or 401
 * invalid_client); a missing endpoint (404, 405, 501), a page (text/html that is not an OAuth error) or a
 * success means the URL is wrong,
 * and the run would only report every requirement failed. A server that errs on it otherwise (a 500, an error
 * as text/plain) is still judged: the checks name that defect.
 */
export async function preflight(target: TargetConfig): Promise<void> {
  const http = new HttpClient({ timeoutMs: target.requestTimeoutMs, maxResponseBytes: target.maxResponseBytes })
  for (const url of [target.endpoints[target.initiation], target.endpoints.token]) {
    let status: number
    let type: string
    let oauthError: boolean
    try {
      const res = await http.send({ method: 'POST', url, body: '', retryOn429: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } })
      status = res.status
      type = (res.headers['content-type'] ?? 'no Content-Type').split(';')[0]!.trim()
      oauthError = typeof (res.json as { error?: unknown } | undefined)?.error === 'string'
    } catch (e) {
      throw new OobConformanceError('ERR_TARGET_UNREACHABLE', `target unreachable: ${(e as Error).message}`)
    }
    // An OAuth error body mislabelled as a page is a server with a defect the checks name, not a wrong URL.
    if ([404, 405, 501].includes(status) || status < 400 || (type === 'text/html' && !oauthError)) {
      throw new OobConformanceError('ERR_TARGET_NOT_OAUTH', `${status} ${type} at ${new URL(url).pathname} to a ` +
        'POST without parameters, not an OAuth error — wrong --base-url or --issuer?')
    }
  }
}

/** `--shard i/n` → the i-th of n slices (1-based). */
export function parseShard(value: string): { index: number; count: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value)
  const index = Number(m?.[1])
  const count = Number(m?.[2])
  if (!m || count < 1 || index < 1 || index > count) {
    throw new OobConformanceError('ERR_USAGE', `--shard "${value}" must be i/n with 1 ≤ i ≤ n, e.g. 1/2`)
  }
  return { index, count }
}

/**
 * The checks of shard `index` of `count`: sorted by id and dealt out in turn, so the split depends only on
 * the ids (the same on every machine) and the shards take about as many checks each.
 */
export function shardOf<T extends { id: string }>(checks: readonly T[], shard: { index: number; count: number }): T[] {
  const ids = checks.map((c) => c.id).sort()
  const mine = new Set(ids.filter((_, i) => i % shard.count === shard.index - 1))
  return checks.filter((c) => mine.has(c.id))
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
export async function executeCheck(given: CheckRunOptions): Promise<CheckRun> {
  // Every input is checked before any work starts (no server started, no check run); then the report directory,
  // with a probe file, which also clears the previous run's reports.
  const options = withConfigFile(given)
  const suites = parseSuites(options.suites ?? DEFAULT_SUITES)
  const shard = options.shard === undefined ? undefined : parseShard(options.shard)
  const env = options.env ?? process.env
  const out = options.out
  const settings = resolveSettings(options, env)
  const expected = options.expectedFailures ? await loadExpectedFailures(options.expectedFailures) : []
  const { checks, graders } = await loadSuites(suites)
  if (checks.length === 0 && graders.length > 0) {
    throw new OobConformanceError('ERR_USAGE', `--suites ${suites.join(',')}: the schema suite grades the ` +
      'responses other suites receive; add flows, properties, security or pact')
  }
  const catalogue = loadRequirements()
  checkExpectedFailureIds(expected, options.expectedFailures ?? '', { checks: checks.map((c) => c.id), suites,
    requirement: (id) => catalogue.get(id) !== undefined })
  const named = targetGiven(options) ? resolveTarget(settings) : undefined
  if (options.reportDir !== undefined) await prepareReportDir(options.reportDir)
  const cleanups: (() => Promise<void>)[] = []
  try {
    let embeddedUrl: string | undefined
    if (named === undefined) {
      // The embedded server must speak the profile the checks expect, which the config file may set.
      const profile = settings.profile
      const embedded = await startReferenceServer({ profile, ...EMBEDDED_LIFETIMES, control: true })
      cleanups.push(embedded.close)
      embeddedUrl = embedded.url
      out?.write(pc.dim(`started the embedded reference server (profile ${profile}) at ${embedded.url} ` +
        `(interval ${EMBEDDED_LIFETIMES.interval} s, expires_in ${EMBEDDED_LIFETIMES.expiresIn} s)\n`))
    }
    const { target, driver: driverSpec } = named ?? resolveTarget(settings, embeddedUrl)
    if (embeddedUrl) target.controlUrl = `${embeddedUrl}/control`
    await preflight(target)
    const driver = await startDriver(driverSpec, target)
    if (driver?.close) cleanups.push(() => driver.close!())

    const secrets = [target.accounts.clients.confidential.clientSecret].filter((s): s is string => Boolean(s))
    const redact = createRedactor(secrets)
    const applicable = checks.filter((c) => c.options.profile === undefined || c.options.profile === target.profile)
    const selected = shard === undefined ? applicable : shardOf(applicable, shard)
    if (selected.length === 0) {
      throw new OobConformanceError('ERR_USAGE', `--suites ${suites.join(',')}: no check of these suites applies ` +
        `under the ${target.profile} profile`)
    }
    const driverName = driverSpec ?? (target.controlUrl ? 'test-control API' : 'none (checks that need the user are skipped)')
    out?.write(`${pc.bold('oob-conformance check')} ${target.baseUrl} — profile ${target.profile}, seed ${target.seed}, ` +
      `suites ${suites.join(',')}, ${selected.length} checks${shard ? ` (shard ${shard.index}/${shard.count})` : ''}, ` +
      `driver ${driverName}\n`)
    const startedAt = new Date()
    const print = out ? progressPrinter(out, redact, Boolean(options.verbose)) : undefined
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
    if (run.interrupted) notes.push('the run was interrupted: checks not finished are skipped')
    const graded = await gradeRun(results, {
      side: 'OOB-S-', profile: target.profile, target: target.baseUrl, seed: target.seed, startedAt, redact,
      strict: Boolean(options.strict), requireComplete: Boolean(options.requireComplete), expectedFailures: expected,
      ...(options.reportDir !== undefined && { reportDir: options.reportDir }), notes, shard,
      interrupted: run.interrupted,
    })
    return { results: graded.results, exitCode: graded.code, files: graded.files, notes: graded.notes,
      interrupted: run.interrupted }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
  }
}
