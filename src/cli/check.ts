/**
 * `oob-conformance check`: resolve the target (or start the embedded reference server), run the suites, grade
 * the results per requirement, write the reports, and return the exit code.
 * @module
 */
import pc from 'picocolors'
import { startReferenceServer } from '../../fixtures/reference-server/index.js'
import { readConfigFile, resolveCheckConfig, targetGiven, type CheckOptions } from '../config/resolve.js'
import type { TargetConfig } from '../config/target.js'
import { startBridge, type Bridge } from '../drivers/bridge.js'
import { operationsOf, type Driver } from '../drivers/driver.js'
import { interactiveDriver } from '../drivers/interactive.js'
import { loadDriverModule } from '../drivers/module.js'
import { OobConformanceError } from '../errors.js'
import { HttpClient } from '../http/client.js'
import { createRedactor } from '../redact/index.js'
import { loadRequirements } from '../requirements/index.js'
import { applyExpectedFailures, loadExpectedFailures } from '../results/expected-failures.js'
import type { CheckResult, RunResults } from '../results/model.js'
import { exitCode, rollUp } from '../results/rollup.js'
import { writeReports } from '../results/reporters/index.js'
import { runResults } from '../results/run-results.js'
import { assembleCheck } from '../runner/assemble.js'
import { schemaChecks } from '../runner/schema-checks.js'
import { runVitestSuites } from '../runner/vitest-run.js'
import { progressPrinter } from './progress.js'

export const SUITES = ['schema', 'flows', 'properties', 'security', 'pact'] as const

/** Lifetimes of the embedded server: long enough for a loaded CI machine, short enough for a fast demo. */
export const EMBEDDED_LIFETIMES = { interval: 1, expiresIn: 30 }

export interface CheckCommandOptions extends CheckOptions {
  suites: string
  reportDir: string
  expectedFailures?: string
  strict?: boolean
}

function parseSuites(list: string): string[] {
  const suites = list.split(',').map((s) => s.trim()).filter(Boolean)
  const unknown = suites.filter((s) => !(SUITES as readonly string[]).includes(s))
  if (unknown.length > 0 || suites.length === 0) {
    throw new OobConformanceError('ERR_USAGE', `--suites "${list}": unknown suite ${unknown.join(', ')}; choose from ${SUITES.join(', ')}`)
  }
  return suites
}

/** Any HTTP answer from the token endpoint proves the target is there; no answer ends the run with exit code 2. */
async function preflight(target: TargetConfig): Promise<void> {
  const http = new HttpClient({ timeoutMs: target.requestTimeoutMs, maxResponseBytes: target.maxResponseBytes })
  try {
    await http.send({ method: 'POST', url: target.endpoints.token, body: '', retryOn429: false })
  } catch (e) {
    throw new OobConformanceError('ERR_TARGET_UNREACHABLE', `target unreachable: ${(e as Error).message}`)
  }
}

async function startDriver(spec: string): Promise<Driver> {
  return spec === 'interactive' ? interactiveDriver() : loadDriverModule(spec)
}

export async function runCheck(options: CheckCommandOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const suites = parseSuites(options.suites)
  const out = process.stderr
  const cleanups: (() => Promise<void>)[] = []
  try {
    let embeddedUrl: string | undefined
    if (!targetGiven(options)) {
      // The embedded server must speak the profile the checks expect, which the config file may set.
      const chosen = options.profile ?? (options.config ? readConfigFile(options.config).profile : undefined)
      const profile = chosen === 'rfc' ? 'rfc' : 'okta'
      const embedded = await startReferenceServer({ profile, ...EMBEDDED_LIFETIMES, control: true })
      cleanups.push(embedded.close)
      embeddedUrl = embedded.url
      out.write(pc.dim(`started the embedded reference server (profile ${profile}) at ${embedded.url} ` +
        `(interval ${EMBEDDED_LIFETIMES.interval} s, expires_in ${EMBEDDED_LIFETIMES.expiresIn} s)\n`))
    }
    const { target, driver: driverSpec } = resolveCheckConfig(options, env, embeddedUrl)
    if (embeddedUrl) {
      target.controlUrl = `${embeddedUrl}/control`
      target.driverOperations = ['approve', 'deny', 'otp', 'expire']
    }
    if (driverSpec) {
      const driver = await startDriver(driverSpec)
      const bridge: Bridge = await startBridge(driver)
      cleanups.push(async () => {
        await bridge.close()
        await driver.close?.()
      })
      target.controlUrl = bridge.url
      target.driverOperations = operationsOf(driver)
    }
    const expected = options.expectedFailures ? await loadExpectedFailures(options.expectedFailures) : []
    const catalogue = loadRequirements()
    await preflight(target)

    out.write(`${pc.bold('oob-conformance check')} ${target.baseUrl} — profile ${target.profile}, seed ${target.seed}, ` +
      `suites ${suites.join(',')}\n`)
    const startedAt = new Date()
    const run = await runVitestSuites({
      include: suites.map((s) => `suites/${s}/**/*.test.ts`),
      target,
      workers: 4,
      onProgress: progressPrinter(out),
    })

    const secrets = [target.accounts.clients.confidential.clientSecret].filter((s): s is string => Boolean(s))
    const redact = createRedactor(secrets)
    const levelFor = (id: string) => catalogue.levelFor(id, target.profile)
    const checks = run.checks.map((raw) => assembleCheck(raw, { profile: target.profile, levelFor, redact }))
    if (suites.includes('schema')) {
      const graded = schemaChecks(run.checks, { profile: target.profile, levelFor, redact })
      const print = progressPrinter(out)
      for (const c of graded) print({ kind: 'end', name: c.id, state: c.status === 'warning' ? 'failed' : c.status, message: c.message, durationMs: c.durationMs })
      checks.push(...graded)
    }
    for (const error of run.errors) {
      throw new OobConformanceError('ERR_USAGE', `a suite could not run: ${redact(error)}`)
    }
    const { checks: marked, notices } = applyExpectedFailures(checks, expected, new Date())
    const applicable = catalogue.forProfile(target.profile)
      .map((r) => ({ id: r.id, level: catalogue.levelFor(r.id, target.profile)!, title: r.title }))
    const graded = rollUp(withoutInapplicable(marked, applicable), applicable, { strict: Boolean(options.strict), side: 'OOB-S-' })
    const results = runResults({ target: target.baseUrl, profile: target.profile, seed: target.seed, startedAt, graded })
    const notes = notices.map((n) => n.message)
    const files = await writeReports(options.reportDir, results, { redact, strict: Boolean(options.strict), notes })
    const code = exitCode(results, { strict: Boolean(options.strict) })
    printSummary(results, files, notes, code)
    return code
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
  }
}

/** A check may name requirements that do not apply under the run's profile; they drop out of its roll-up. */
function withoutInapplicable(checks: CheckResult[], applicable: { id: string }[]): CheckResult[] {
  const ids = new Set(applicable.map((r) => r.id))
  return checks.map((c) => ({ ...c, requirements: c.requirements.filter((id) => ids.has(id) || !id.startsWith('OOB-')) }))
}

function printSummary(results: RunResults, files: string[], notes: string[], code: number): void {
  const { passed, failed, warnings, skipped } = results.summary
  const reqs = results.requirements
  const count = (status: string) => reqs.filter((r) => r.status === status).length
  const verdict = code === 0 ? pc.green(pc.bold('PASS')) : pc.red(pc.bold('FAIL'))
  const lines = [
    '',
    `${verdict}  checks: ${passed} passed, ${failed} failed, ${warnings} warnings, ${skipped} skipped ` +
      `(${(results.durationMs / 1000).toFixed(1)} s)`,
    `      requirements: ${count('passed')} passed, ${count('failed')} failed, ${count('warning')} warnings, ` +
      `${count('skipped')} skipped, ${count('untested')} untested`,
  ]
  for (const r of reqs.filter((r) => r.status === 'failed')) {
    lines.push(`  ${pc.red('✗')} ${r.id} (${r.level}) ${r.title ?? ''} ← ${r.checks.join(', ')}`)
  }
  for (const note of notes) lines.push(`  ${pc.yellow('note')} ${note}`)
  lines.push(`  seed ${results.seed} (replay: --seed ${results.seed})`, `  reports: ${files.join(', ')}`)
  process.stdout.write(lines.join('\n') + '\n')
}
