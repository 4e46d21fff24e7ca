/**
 * `oob-conformance verify-pact PACT_FILE_OR_DIR`: a client author's pact, interaction by interaction,
 * (a) against a server — the embedded reference server by default, a conforming implementation, or
 * `--base-url` — and (b) against `spec/openapi.yaml`, so an expectation no conforming server could meet is
 * reported with the spec location. Each pact is judged under `--profile` when given, else under the profile
 * its provider names (`oob-server-okta`, `oob-server-rfc`: a directory may mix them), else okta, and the
 * summary says which. The same reports and exit codes as `check`.
 * @module
 */
import pc from 'picocolors'
import { startReferenceServer } from '../reference-server/index.js'
import { readConfigFile, resolveCheckConfig, targetGiven, type CheckOptions } from '../config/resolve.js'
import type { TargetConfig } from '../config/target.js'
import { isOobConformanceError, OobConformanceError } from '../errors.js'
import { isProfile, type Profile } from '../profile.js'
import { isHttpInteraction, loadPacts, slug, type Pact, type PactInteraction, type PactSource }
  from '../pact/pact-file.js'
import { pactProfile, type PactProfile } from '../pact/pact-profile.js'
import { compareWithSpec, SPEC_FILE, type SpecFinding } from '../pact/spec-check.js'
import { createProviderContext } from '../pact/states.js'
import { verifyInteraction } from '../pact/verify.js'
import { createRedactor, redactExchange, type Redactor } from '../redact/index.js'
import type { CheckResult, CheckStatus, Exchange, RunResults } from '../results/model.js'
import { controlApiDriver } from '../drivers/control-api.js'
import type { Driver } from '../drivers/driver.js'
import type { EngineEvent } from '../engine/events.js'
import { CheckSkipped, NotJudged, RequirementFailure } from '../engine/steps.js'
import { gradeRun } from '../results/grade.js'
import { prepareReportDir } from '../results/reporters/index.js'
import { reproduction } from '../results/reproduction.js'
import { EMBEDDED_LIFETIMES } from './check.js'
import { appendStepSummary, MARKS, outputMode } from './output.js'
import { progressPrinter } from './progress.js'

export interface VerifyPactOptions extends Pick<CheckOptions,
  'baseUrl' | 'profile' | 'config' | 'controlUrl' | 'maxWait' | 'requestTimeout'> {
  reportDir: string
  strict?: boolean
  quiet?: boolean
  verbose?: boolean
}

/** Verifications running at once. */
const PARALLEL_VERIFICATIONS = 4

interface Verdict {
  status: CheckStatus
  message: string
  exchanges?: Exchange[]
}

interface Run {
  target: TargetConfig
  /** Who answered, for messages: the reference server or the server at `--base-url`. */
  server: string
  redact: Redactor
  driver?: Driver
  print: (event: EngineEvent) => void
}

async function onServer(pact: Pact, interaction: PactInteraction, run: Run): Promise<Verdict> {
  if (!isHttpInteraction(interaction)) {
    return { status: 'skipped', message: 'not an HTTP request/response interaction' }
  }
  const exchanges: Exchange[] = []
  const ctx = createProviderContext(run.target, run.driver, slug(interaction.description),
    (exchange) => exchanges.push(exchange))
  try {
    const verdict = await verifyInteraction(pact, interaction, ctx)
    if (verdict.passed) return { status: 'passed', message: verdict.message, exchanges }
    const message = `${run.server} does not answer as the pact expects: ${verdict.message}`
    return { status: 'failed', message, exchanges }
  } catch (e) {
    if (e instanceof CheckSkipped || e instanceof NotJudged) return { status: 'skipped', message: e.message, exchanges }
    if (e instanceof RequirementFailure) return { status: 'failed', message: e.message, exchanges }
    // No answer at all, or a verifier that cannot run, is the run's failure (exit code 2), not the pact's.
    if (isOobConformanceError(e, 'ERR_TARGET_UNREACHABLE')) throw e
    if (isOobConformanceError(e, 'ERR_PACT_VERIFIER')) throw e
    if (isOobConformanceError(e)) return { status: 'failed', message: e.message, exchanges }
    throw e as Error
  }
}

function onSpec(findings: SpecFinding[], profile: string): Verdict {
  const errors = findings.filter((f) => f.level === 'error')
  const warnings = findings.filter((f) => f.level === 'warning')
  const messages = [...errors, ...warnings].map((f) => f.message).join('; ')
  if (errors.length > 0) return { status: 'failed', message: `no conforming server can meet it: ${messages}` }
  if (messages) return { status: 'warning', message: `the spec cannot confirm it: ${messages}` }
  return { status: 'passed', message: `fits ${SPEC_FILE} (profile ${profile})` }
}

function checkResult(id: string, title: string, verdict: Verdict, durationMs: number, run: Run): CheckResult {
  const transcript = (verdict.exchanges ?? []).map((e) => redactExchange(e, run.redact))
  const failed = verdict.status === 'failed' && transcript.length > 0
  const result: CheckResult = {
    id, title, requirements: [], level: 'MUST', status: verdict.status, message: run.redact(verdict.message),
    reproduction: failed ? reproduction(transcript) : null, durationMs, transcript,
  }
  const status = result.status === 'warning' ? 'failed' : result.status
  run.print({ type: 'check-end', outcome: { id, title, suite: 'pact', requirements: [], status,
    message: result.message, steps: [], exchanges: [], reproduction: [], durationMs } })
  return result
}

/** Runs `task` over `items`, at most `limit` at a time; the results keep the order of `items`. */
async function inPool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  let next = 0
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await task(items[i]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/** Two checks per interaction, `<pact>/<interaction>/server` and `…/spec`, in the pact's order. */
async function verifyPact({ file, pact }: PactSource, run: Run): Promise<CheckResult[]> {
  const pactId = slug(file.split(/[\\/]/).at(-1)!.replace(/\.json$/, ''))
  const findings = await compareWithSpec(pact, run.target.profile)
  const ids = new Set<string>()
  const pairs = await inPool(pact.interactions, PARALLEL_VERIFICATIONS, async (interaction) => {
    const base = `${pactId}/${slug(interaction.description)}`
    let id = base
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`
    ids.add(id)
    const started = performance.now()
    const verdict = await onServer(pact, interaction, run)
    const mine = findings.filter((f) => f.description === interaction.description)
    return [
      checkResult(`${id}/server`, `${interaction.description}: ${run.server} meets it`, verdict,
        Math.round(performance.now() - started), run),
      checkResult(`${id}/spec`, `${interaction.description}: it fits ${SPEC_FILE}`,
        onSpec(mine, run.target.profile), 0, run),
    ]
  })
  const described = new Set(pact.interactions.map((i) => i.description))
  const loose = findings.filter((f) => f.description === undefined || !described.has(f.description))
  if (loose.length === 0) return pairs.flat()
  const whole = onSpec(loose, run.target.profile)
  const title = `${file}: the pact fits ${SPEC_FILE}`
  return [...pairs.flat(), checkResult(`${pactId}/spec`, title, whole, 0, run)]
}

/** A pact and the profile it is judged under. */
interface Judged {
  source: PactSource
  judged: PactProfile
}

function printSummary(results: RunResults, judged: Judged[], files: string[], code: number): void {
  const { passed, failed, warnings, skipped } = results.summary
  const interactions = judged.reduce((n, j) => n + j.source.pact.interactions.length, 0)
  const verdict = code === 0 ? pc.green(pc.bold('PASS')) : pc.red(pc.bold('FAIL'))
  const failures = results.checks.filter((c) => c.status === 'failed')
  const seconds = (results.durationMs / 1000).toFixed(1)
  process.stdout.write([
    '',
    `${verdict}  ${interactions} interaction(s) in ${judged.length} pact(s): ${passed} passed, ` +
      `${failed} failed, ${warnings} warnings, ${skipped} skipped (${seconds} s)`,
    ...failures.map((c) => `  ${MARKS.failed} ${c.id}: ${c.message}`),
    ...judged.map((j) => `  ${profileLine(j)}`),
    `  reports: ${files.join(', ')}`,
  ].join('\n') + '\n')
}

const profileLine = ({ source, judged }: Judged) => `${source.file}: judged under profile ${judged.profile} ` +
  `(${judged.reason})`

/** `--profile`, else the config file's `profile`: either judges every pact. */
function explicitProfile(options: VerifyPactOptions): { profile: Profile; source: string } | undefined {
  const [value, source] = options.profile !== undefined ? [options.profile, '--profile']
    : options.config ? [readConfigFile(options.config).profile, `profile in ${options.config}`] : []
  if (value === undefined) return undefined
  if (!isProfile(value)) {
    throw new OobConformanceError('ERR_CONFIG_INVALID', `${source!} "${value}" is not a profile; use okta or rfc`)
  }
  return { profile: value, source: source! }
}

/**
 * The run of one profile: the embedded reference server of that profile (started here, closed by a cleanup)
 * unless the options name a server, and the target with that profile.
 */
async function runFor(profile: Profile, options: VerifyPactOptions, env: NodeJS.ProcessEnv,
  cleanups: (() => Promise<void>)[]): Promise<Run> {
  let embeddedUrl: string | undefined
  if (!targetGiven(options)) {
    const embedded = await startReferenceServer({ profile, ...EMBEDDED_LIFETIMES, control: true })
    cleanups.push(embedded.close)
    embeddedUrl = embedded.url
  }
  const { target, driver } = resolveCheckConfig({ ...options, profile }, env, embeddedUrl)
  if (driver) {
    throw new OobConformanceError('ERR_USAGE',
      'verify-pact sets up provider states through a control API: give --control-url, not a driver')
  }
  if (embeddedUrl) target.controlUrl = `${embeddedUrl}/control`
  const secret = target.accounts.clients.confidential.clientSecret
  return {
    target,
    server: embeddedUrl ? 'the reference server (a conforming implementation)'
      : `the server at ${target.baseUrl}`,
    redact: createRedactor(secret ? [secret] : []),
    ...(target.controlUrl !== undefined && { driver: controlApiDriver(target.controlUrl,
      { timeoutMs: target.requestTimeoutMs, maxResponseBytes: target.maxResponseBytes }) }),
    print: outputMode(options) === 'quiet' ? () => {} : progressPrinter(process.stderr),
  }
}

/**
 * Each pact is judged under `--profile` (or the config file's), else under the profile its provider names
 * (`oob-server-okta`, `oob-server-rfc`), else under okta; the embedded reference server runs once per profile
 * needed. results.json has one `profile`: the first pact's; the summary and the reports' notes name each.
 */
export async function runVerifyPact(pactPath: string, options: VerifyPactOptions,
  env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const sources = loadPacts(pactPath)
  const strict = Boolean(options.strict)
  const quiet = outputMode(options) === 'quiet'
  const explicit = explicitProfile(options)
  await prepareReportDir(options.reportDir)
  const judged: Judged[] = sources.map((source) => ({ source, judged: pactProfile(source.pact, explicit) }))
  const cleanups: (() => Promise<void>)[] = []
  try {
    const runs = new Map<Profile, Run>()
    for (const { judged: { profile } } of judged) {
      if (!runs.has(profile)) runs.set(profile, await runFor(profile, options, env, cleanups))
    }
    const first = runs.get(judged[0]!.judged.profile)!
    const profiles = explicit ? `profile ${explicit.profile}` : runs.size === 1
      ? `profile ${[...runs.keys()][0]!}` : `each pact under its own profile (${[...runs.keys()].join(', ')})`
    if (!quiet) process.stderr.write(`${pc.bold('oob-conformance verify-pact')} ${pactPath} — against ${first.server}, ` +
      `${profiles}, and ${SPEC_FILE}\n`)

    const startedAt = new Date()
    const checks: CheckResult[] = []
    for (const { source, judged: { profile } } of judged) checks.push(...await verifyPact(source, runs.get(profile)!))
    const { results, files, code } = await gradeRun(checks, { side: 'OOB-C-', profile: first.target.profile,
      target: first.target.baseUrl, seed: first.target.seed, startedAt, redact: first.redact, strict,
      reportDir: options.reportDir, notes: judged.map(profileLine) })
    await appendStepSummary(files, env)
    printSummary(results, judged, files, code)
    return code
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
  }
}
