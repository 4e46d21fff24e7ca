/**
 * Runs a client once per scenario, all scenarios in parallel (each has its own scripted server), and turns
 * what happened into the results model that `check` also produces.
 * @module
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { standardAccounts } from '../config/accounts.js'
import { OobConformanceError } from '../errors.js'
import { runResults } from '../results/run-results.js'
import type { Profile } from '../profile.js'
import { createRedactor, redactExchange, type Redactor } from '../redact/index.js'
import { loadRequirements } from '../requirements/index.js'
import { applyExpectedFailures, type ExpectedFailure } from '../results/expected-failures.js'
import type { CheckResult, Exchange, Level, RunResults } from '../results/model.js'
import { rollUp, strongestLevel, type CatalogueEntry } from '../results/rollup.js'
import { reproduction } from '../results/reproduction.js'
import { launch, type ClientUnderTest } from './launch.js'
import { loopLag, startMockServer, type RecordedRequest } from './mock-server.js'
import { SCENARIOS, scenariosFor, type Scenario } from './scenarios.js'
import { SETTLE_MS, scenarioVerdicts, TOLERANCE, type ScenarioRun, type Verdict } from './verdicts.js'
import { wireVerdicts, type WireVerdict } from './wire.js'

/** Delay between the starts of two scenarios. */
const STAGGER_MS = 45

export interface ClientCheckOptions {
  /** Scenario names (default: every scenario of the profile). */
  scenarios?: readonly string[]
  /** Default `okta`. */
  profile?: Profile
  /** Per scenario, default 60; a command's process tree is killed at the limit. */
  timeoutSeconds?: number
  /** A failed SHOULD stays failed instead of becoming a warning. */
  strict?: boolean
  expectedFailures?: ExpectedFailure[]
  /** The client's name in the results (`target`); default the command line, or `in-process client`. */
  label?: string
  /** Called as each scenario finishes, with its checks graded. */
  onScenario?: (result: ScenarioResult) => void
  /** Stops every running client and ends the run early. */
  signal?: AbortSignal
}

export interface ScenarioResult {
  run: ScenarioRun
  checks: CheckResult[]
}

export interface ClientCheckRun {
  /** Graded and rolled up per `OOB-C-…` requirement, secrets redacted: ready for `writeReports`. */
  results: RunResults
  /** Expected-failure notices and scenarios left out, one line each. */
  notes: string[]
  scenarios: ScenarioRun[]
  /** The run's redactor (client secret, typed codes, issued tokens), for anything else written or printed. */
  redact: Redactor
}

/**
 * Judges a client against the scripted scenarios: a command (`{ command: ['node', 'client.js'] }`) run once
 * per scenario with the `OOB_*` environment, or an in-process function given the same values.
 *
 * @example
 * ```ts
 * const { results } = await runClientScenarios(async (env) => {
 *   const client = new OobFlowClient({
 *     issuer: env.baseUrl, clientId: env.clientId, clientSecret: env.clientSecret,
 *   })
 *   return client.signIn({ loginHint: env.loginHint, channel: env.channel, signal: env.signal,
 *     onBindingCode: (code) => env.display(`Tap ${code}`), readBindingCode: env.readCode })
 * })
 * expect(results.summary.failed).toBe(0)
 * ```
 */
export async function runClientScenarios(client: ClientUnderTest, options: ClientCheckOptions = {}):
  Promise<ClientCheckRun> {
  const profile = options.profile ?? 'okta'
  const timeoutMs = (options.timeoutSeconds ?? 60) * 1000
  const { scenarios, notes } = selectScenarios(options.scenarios, profile)
  const label = options.label ??
    (typeof client === 'function' ? 'in-process client' : client.command.map(shellWord).join(' '))
  const catalogue = loadRequirements()
  const entries: CatalogueEntry[] = catalogue.forProfile(profile)
    .map((r) => ({ id: r.id, level: catalogue.levelFor(r.id, profile)!, title: r.title }))
  const levelFor = (id: string) => catalogue.levelFor(id, profile)
  const strict = options.strict ?? false
  const expected = options.expectedFailures ?? []
  const accounts = standardAccounts()
  const rerun = (name: string) => typeof client === 'function'
    ? `# rerun: runClientScenarios(client, { scenarios: ['${name}'], profile: '${profile}' })`
    : `# rerun: oob-conformance client-check --scenarios ${name} --profile ${profile} -- ${label}`

  const startedAt = new Date()
  const otpDir = await mkdtemp(join(tmpdir(), 'oob-client-check-'))
  const secrets = [accounts.clients.confidential.clientSecret!,
    ...scenarios.flatMap((s) => s.typedCode ?? [])]
  const runs: ScenarioRun[] = []
  const scenarioChecks: CheckResult[] = []
  try {
    const settled = await Promise.allSettled(scenarios.map(async (scenario, index) => {
      // Staggered starts keep the scenarios' polls from arriving in one burst each second, which would
      // delay some arrivals on the scripted servers' shared event loop and blur the timing verdicts.
      await delay(index * STAGGER_MS)
      const { run, issued } =
        await runScenario(scenario, client, { profile, timeoutMs, otpDir, signal: options.signal })
      secrets.push(...issued)
      const redact = createRedactor(secrets)
      const transcript = run.requests.map((r) => redactExchange(r.exchange, redact))
      const checks = scenarioVerdicts(run).map((v) => toCheck(`${scenario.name}/${v.id}`, v, {
        levelFor, redact, durationMs: run.durationMs, transcript,
        extra: [rerun(scenario.name), ...timeline(run)],
      }))
      runs.push(run)
      scenarioChecks.push(...checks)
      const marked = applyExpectedFailures(checks, expected, startedAt).checks
      const graded = rollUp(marked, entries, { strict, side: 'OOB-C-' })
      options.onScenario?.({ run, checks: graded.checks })
    }))
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
    if (failure !== undefined) throw failure.reason
  } finally {
    await rm(otpDir, { recursive: true, force: true })
  }

  const redact = createRedactor(secrets)
  runs.sort((a, b) => scenarios.indexOf(a.scenario) - scenarios.indexOf(b.scenario))
  const order = (c: CheckResult) => scenarios.findIndex((s) => c.id.startsWith(`${s.name}/`))
  const checks = [
    ...scenarioChecks.sort((a, b) => order(a) - order(b)),
    ...wireVerdicts(runs).map((v) => toCheck(`wire/${v.id}`, v, {
      levelFor, redact, durationMs: 0, transcript: v.evidence.map((r) => redactExchange(r.exchange, redact)),
      extra: wireReproduction(v, rerun),
    })),
  ]
  const { checks: marked, notices } = applyExpectedFailures(checks, expected, startedAt)
  const graded = rollUp(marked, entries, { strict, side: 'OOB-C-' })
  return {
    // Nothing in client-check is generated from a seed.
    results: runResults({ target: redact(label), profile, seed: 0, startedAt, graded }),
    notes: [...notes, ...notices.map((n) => n.message)],
    scenarios: runs,
    redact,
  }
}

/**
 * The scenarios `names` selects under `profile` (default: all of the profile's), with a note for each one
 * that does not apply to it; an unknown name is a usage error.
 */
export function selectScenarios(names: readonly string[] | undefined, profile: Profile):
  { scenarios: Scenario[]; notes: string[] } {
  const applicable = scenariosFor(profile)
  if (names === undefined) return { scenarios: applicable, notes: [] }
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n))
  if (unknown.length > 0 || names.length === 0) {
    throw new OobConformanceError('ERR_USAGE',
      `unknown scenario(s) ${unknown.join(', ') || '(none given)'}; ` +
      `choose from ${SCENARIOS.map((s) => s.name).join(', ')}`)
  }
  const notes = names.filter((n) => !applicable.some((s) => s.name === n))
    .map((n) => `scenario ${n} does not apply to the ${profile} profile; left out`)
  return { scenarios: applicable.filter((s) => names.includes(s.name)), notes }
}

async function runScenario(scenario: Scenario, client: ClientUnderTest,
  options: { profile: Profile; timeoutMs: number; otpDir: string; signal?: AbortSignal | undefined }):
  Promise<{ run: ScenarioRun; issued: string[] }> {
  const server = await startMockServer(scenario, options.profile)
  const accounts = standardAccounts().clients
  const account = scenario.client === 'public' ? accounts.public : accounts.confidential
  const timers: NodeJS.Timeout[] = []
  const started = performance.now()
  try {
    let otpFile: string | undefined
    if (scenario.typedCode !== undefined) {
      otpFile = join(options.otpDir, `${scenario.name}.otp`)
      // Exactly what the user typed: no newline, nothing trimmed.
      await writeFile(otpFile, scenario.typedCode, 'utf8')
    }
    const running = launch(client, {
      baseUrl: server.url, clientId: account.clientId,
      loginHint: scenario.loginHint, channel: scenario.channel,
      ...(account.clientSecret !== undefined && { clientSecret: account.clientSecret }),
      ...(scenario.typedCode !== undefined && { typedCode: scenario.typedCode }),
      ...(otpFile !== undefined && { otpFile }),
    })
    let done = false
    let finalAt: number | undefined
    timers.push(setTimeout(() => running.stop('timeout'), options.timeoutMs))
    // SETTLE_MS of time the machine could run the client, not counting what it lost to a busy event loop.
    const settle = (ms: number) => {
      const lagBefore = loopLag()
      timers.push(setTimeout(() => {
        const lost = loopLag() - lagBefore
        if (lost > TOLERANCE.earlyMs) settle(lost)
        else running.stop('after-final')
      }, ms))
    }
    void server.final.then((at) => {
      finalAt = at
      if (!done) settle(SETTLE_MS)
    })
    if (options.signal?.aborted) running.stop('aborted')
    const abort = () => running.stop('aborted')
    options.signal?.addEventListener('abort', abort)
    const outcome = await running.ended.finally(() => {
      done = true
      options.signal?.removeEventListener('abort', abort)
    })
    const run: ScenarioRun = {
      scenario, profile: options.profile, outcome,
      requests: server.requests, transactions: server.transactions,
      ...(finalAt !== undefined && { finalAt }),
      durationMs: Math.round(performance.now() - started),
      clientId: account.clientId,
      ...(account.clientSecret !== undefined && { clientSecret: account.clientSecret }),
    }
    return { run, issued: server.secrets }
  } finally {
    for (const timer of timers) clearTimeout(timer)
    await server.close()
  }
}

interface CheckContext {
  levelFor: (id: string) => Level | undefined
  redact: Redactor
  durationMs: number
  /** Redacted already. */
  transcript: Exchange[]
  extra: string[]
}

function toCheck(id: string, v: Verdict | WireVerdict, context: CheckContext): CheckResult {
  const evidence = v.evidence.map((r) => redactExchange(r.exchange, context.redact))
  return {
    id,
    title: v.title,
    requirements: v.requirements,
    level: strongestLevel(v.requirements, context.levelFor),
    status: v.status,
    message: context.redact(v.message),
    reproduction: v.status === 'failed' ? reproduction(evidence, context.extra.map(context.redact)) : null,
    durationMs: context.durationMs,
    transcript: context.transcript,
  }
}

function answerText(r: RecordedRequest): string {
  const { answer } = r
  if (answer.status === undefined) return 'connection reset'
  if (answer.kind === 'initiation') return '200 (oob_code issued)'
  if (answer.kind === 'tokens') return '200 tokens'
  return `${answer.status} ${answer.error ?? answer.kind}`
}

/** Every request of the scenario, on the scripted server's clock: what a timing failure needs to be read. */
function timeline(run: ScenarioRun): string[] {
  const t0 = run.requests[0]?.arrivedAt ?? 0
  return ['# timeline (s since the first request arrived, at the scripted server):',
    ...run.requests.map((r, i) => {
      const at = ((r.arrivedAt - t0) / 1000).toFixed(3)
      return `#  ${String(i + 1).padStart(2)}  +${at}  ${r.method} ${r.endpoint ?? r.url} → ${answerText(r)}`
    }),
    `# client: ${run.outcome.stopped ?? `exit code ${run.outcome.exitCode}`}`]
}

function wireReproduction(v: WireVerdict, rerun: (name: string) => string): string[] {
  return [...new Set(v.findings.map((f) => f.run.scenario.name))].slice(0, 3).map(rerun)
}

/** An argv word as a POSIX shell would need it written. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}
