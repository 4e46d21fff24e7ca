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
import type { Channel } from '../protocol/index.js'
import { createRedactor, redactExchange, type Redactor } from '../redact/index.js'
import { loadRequirements } from '../requirements/index.js'
import { applyExpectedFailures, type ExpectedFailure } from '../results/expected-failures.js'
import type { CheckResult, Exchange, Level, RunResults } from '../results/model.js'
import { rollUp, strongestLevel, type CatalogueEntry } from '../results/rollup.js'
import { reproduction } from '../results/reproduction.js'
import { createSigningKey, type SigningKey } from '../reference-server/tokens.js'
import { launch, type ClientUnderTest, type RunningClient, type ScenarioValues } from './launch.js'
import { loopLag, startMockServer, type RecordedRequest } from './mock-server.js'
import { SCENARIOS, scenariosFor, type Scenario } from './scenarios.js'
import { createRunCertificates, type RunCertificates } from './tls.js'
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
  /** Serve HTTPS with a certificate of a CA made for the run (`OOB_CA_FILE`); default plain HTTP. */
  tls?: boolean
  /** The channels the client supports (default all): a scenario on another one is skipped. */
  channels?: readonly Channel[]
  /** The registrations the client can run as (default both): a scenario needing another is skipped. */
  clientTypes?: readonly ClientType[]
  /** Replaces every scenario's login_hint, for clients that cannot take the default ones. */
  loginHint?: string
}

export type ClientType = Scenario['client']

export interface ScenarioResult {
  run: ScenarioRun
  checks: CheckResult[]
}

export interface ClientCheckRun {
  /** Graded and rolled up per `OOB-C-…` requirement, secrets redacted: ready for `writeReports`. */
  results: RunResults
  /** Expected-failure notices and scenarios left out (profile, capabilities), one line each. */
  notes: string[]
  /** The scenarios run (not those skipped for the client's capabilities). */
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
  const selected = selectScenarios(options.scenarios, profile)
  const { scenarios, skipped } = byCapability(selected.scenarios, options)
  const notes = [...selected.notes, ...skipped.map((s) => `scenario ${s.scenario.name} not run: ${s.reason}`)]
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
    ? `# rerun: runClientScenarios(client, { scenarios: ['${name}'], profile: '${profile}'${
      options.tls ? ', tls: true' : ''}${
      options.loginHint === undefined ? '' : `, loginHint: ${JSON.stringify(options.loginHint)}`} })`
    : `# rerun: oob-conformance client-check --scenarios ${name} --profile ${profile}${options.tls ? ' --tls' : ''
    }${options.loginHint === undefined ? '' : ` --login-hint ${shellWord(options.loginHint)}`} -- ${label}`

  const startedAt = new Date()
  const workDir = await mkdtemp(join(tmpdir(), 'oob-client-check-'))
  const secrets = [accounts.clients.confidential.clientSecret!,
    ...scenarios.flatMap((s) => s.typedCode ?? [])]
  const runs: ScenarioRun[] = []
  const baseUrls = new Map<ScenarioRun, string>()
  const scenarioChecks: CheckResult[] = []
  try {
    const setup = await runSetup(workDir, options.tls ?? false)
    const settled = await Promise.allSettled(scenarios.map(async (scenario, index) => {
      // Staggered starts keep the scenarios' polls from arriving in one burst each second, which would
      // delay some arrivals on the scripted servers' shared event loop and blur the timing verdicts.
      await delay(index * STAGGER_MS)
      const { run, issued, baseUrl } =
        await runScenario(scenario, client, { profile, timeoutMs, workDir, signal: options.signal, ...setup })
      secrets.push(...issued)
      const redact = createRedactor(secrets)
      const transcript = run.requests.map((r) => redactExchange(r.exchange, redact))
      const checks = interrupted(run)
        ? [unjudgedCheck(scenario, 'interrupted', 'not judged: the run was interrupted before the scenario ended',
          levelFor)]
        : (run.requests.length === 0 ? silentVerdicts(run, baseUrl) : scenarioVerdicts(run))
          .map((v) => toCheck(`${scenario.name}/${v.id}`, v, {
            levelFor, redact, durationMs: run.durationMs, transcript,
            extra: [rerun(scenario.name), ...timeline(run)],
          }))
      runs.push(run)
      baseUrls.set(run, baseUrl)
      scenarioChecks.push(...checks)
      const marked = applyExpectedFailures(checks, expected, startedAt).checks
      const graded = rollUp(marked, entries, { strict, side: 'OOB-C-' })
      options.onScenario?.({ run, checks: graded.checks })
    }))
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
    if (failure !== undefined) throw failure.reason
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }

  const redact = createRedactor(secrets)
  runs.sort((a, b) => scenarios.indexOf(a.scenario) - scenarios.indexOf(b.scenario))
  // Scenarios the run stopped (Ctrl-C, SIGTERM) before they ended are not judged, on the wire either.
  const finished = runs.filter((r) => !interrupted(r))
  if (finished.length > 0 && finished.every((r) => r.requests.length === 0)) {
    const first = finished[0]!
    throw new OobConformanceError('ERR_CLIENT_SILENT', `client-check: ${
      redact(silentHint(first, baseUrls.get(first)!, ` in any of the ${runs.length} scenario(s)`))}`)
  }
  const names = selected.scenarios.map((s) => s.name)
  const order = (c: CheckResult) => names.findIndex((name) => c.id.startsWith(`${name}/`))
  const checks = [
    ...[...scenarioChecks,
      ...skipped.map((s) => unjudgedCheck(s.scenario, 'capabilities', `not run: ${s.reason}`, levelFor)),
    ].sort((a, b) => order(a) - order(b)),
    ...wireVerdicts(finished).map((v) => toCheck(`wire/${v.id}`, v, {
      levelFor, redact, durationMs: 0, transcript: v.evidence.map((r) => redactExchange(r.exchange, redact)),
      extra: wireReproduction(v, rerun),
    })),
  ]
  const { checks: marked, notices } = applyExpectedFailures(checks, expected, startedAt)
  const graded = rollUp(marked, entries, { strict, side: 'OOB-C-' })
  return {
    // Nothing in client-check is generated from a seed.
    results: runResults({ target: redact(label), profile, seed: 0, startedAt, graded,
      interrupted: finished.length < runs.length }),
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

/** What every scenario of a run shares: the key that signs its ID tokens and, under `--tls`, its CA. */
interface RunSetup {
  signingKey: SigningKey
  certificates?: RunCertificates
  /** The CA certificate, written for commands: removed with the run's directory. */
  caFile?: string
}

async function runSetup(workDir: string, tls: boolean): Promise<RunSetup> {
  const [signingKey, certificates] = await Promise.all([createSigningKey(),
    tls ? createRunCertificates() : undefined])
  if (certificates === undefined) return { signingKey }
  const caFile = join(workDir, 'ca.pem')
  await writeFile(caFile, certificates.ca, 'utf8')
  return { signingKey, certificates, caFile }
}

async function runScenario(scenario: Scenario, client: ClientUnderTest,
  options: RunSetup & { profile: Profile; timeoutMs: number; workDir: string; signal?: AbortSignal | undefined }):
  Promise<{ run: ScenarioRun; issued: string[]; baseUrl: string }> {
  const accounts = standardAccounts().clients
  const account = scenario.client === 'public' ? accounts.public : accounts.confidential
  const { certificates, caFile } = options
  // Launched once the server listens (its URL is in the client's environment); asked at every arrival.
  let launched: RunningClient | undefined
  const server = await startMockServer(scenario, options.profile, {
    clientId: account.clientId, signingKey: options.signingKey,
    ...(certificates !== undefined && { tls: certificates }),
    clientRunQueueWaitMs: () => launched?.runQueueWaitMs() ?? 0,
  })
  const timers: NodeJS.Timeout[] = []
  const started = performance.now()
  try {
    let otpFile: string | undefined
    if (scenario.typedCode !== undefined) {
      otpFile = join(options.workDir, `${scenario.name}.otp`)
      // Exactly what the user typed: no newline, nothing trimmed.
      await writeFile(otpFile, scenario.typedCode, 'utf8')
    }
    const values: ScenarioValues = {
      baseUrl: server.url, issuer: server.issuer, host: server.host, clientId: account.clientId,
      loginHint: scenario.loginHint, channel: scenario.channel,
      ...(certificates !== undefined && caFile !== undefined && { tls: { caFile, ca: certificates.ca } }),
      ...(account.clientSecret !== undefined && { clientSecret: account.clientSecret }),
      ...(scenario.typedCode !== undefined && { typedCode: scenario.typedCode }),
      ...(otpFile !== undefined && { otpFile }),
    }
    const running = launch(client, values)
    launched = running
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
    return { run, issued: server.secrets, baseUrl: server.url }
  } finally {
    for (const timer of timers) clearTimeout(timer)
    await server.close()
  }
}

/**
 * The scenarios the client's declared capabilities cover, `loginHint` applied, and the others with the reason
 * they are skipped; a usage error when none is left.
 */
export function byCapability(scenarios: readonly Scenario[],
  declared: Pick<ClientCheckOptions, 'channels' | 'clientTypes' | 'loginHint'>):
  { scenarios: Scenario[]; skipped: { scenario: Scenario; reason: string }[] } {
  const kept: Scenario[] = []
  const skipped: { scenario: Scenario; reason: string }[] = []
  for (const scenario of scenarios) {
    const { channels, clientTypes, loginHint } = declared
    if (channels !== undefined && !channels.includes(scenario.channel)) {
      skipped.push({ scenario,
        reason: `the client does not declare ${scenario.channel} (--channels ${channels.join(',')})` })
    } else if (clientTypes !== undefined && !clientTypes.includes(scenario.client)) {
      skipped.push({ scenario,
        reason: `the client does not declare a ${scenario.client} client (--client ${clientTypes.join(',')})` })
    } else {
      kept.push(loginHint === undefined ? scenario : { ...scenario, loginHint })
    }
  }
  if (kept.length === 0) {
    throw new OobConformanceError('ERR_USAGE', `client-check: no scenario is left to run: ${skipped[0]?.reason ??
      'none selected'}; widen --channels / --client or pick other --scenarios`)
  }
  return { scenarios: kept, skipped }
}

/**
 * A scenario whose client is not judged — outside its declared capabilities (`capabilities`), or stopped by the
 * run's signal (`interrupted`): its requirements are skipped with the reason, never failed.
 */
function unjudgedCheck(scenario: Scenario, why: 'capabilities' | 'interrupted', message: string,
  levelFor: (id: string) => Level | undefined): CheckResult {
  const requirements =
    [...new Set([...scenario.outcome, ...scenario.afterFinal === undefined ? [] : [scenario.afterFinal]])]
  return { id: `${scenario.name}/${why}`, title: scenario.title, requirements,
    level: strongestLevel(requirements, levelFor), status: 'skipped', message, reproduction: null, durationMs: 0 }
}

/** The run's signal stopped the client before its scenario ended. */
function interrupted(run: ScenarioRun): boolean {
  return run.outcome.stopped === 'aborted'
}


/** One line for a scenario in which the client sent nothing: where it should have gone, and how it ended. */
function silentHint(run: ScenarioRun, baseUrl: string, where = ''): string {
  const o = run.outcome
  const ended = o.stopped !== undefined ? `was stopped (${o.stopped})` : `exited with code ${o.exitCode}`
  // A crashed Node prints its version last: the error line says more.
  const lines = o.output.trim().split('\n')
  const said = (o.error ?? lines.find((line) => /error/i.test(line)) ?? lines.at(-1) ?? '').trim().slice(0, 160)
  return `the client sent no request${where}: is it reading OOB_BASE_URL (here ${baseUrl}/…)? It ${ended}` +
    (said === '' ? '' : `: ${said}`)
}

/**
 * A scenario without a single request: nothing the client did can be judged, so its verdicts are skipped and
 * one check, blaming no requirement, fails the scenario — a client that does nothing passes nothing.
 */
function silentVerdicts(run: ScenarioRun, baseUrl: string): Verdict[] {
  const unjudged = scenarioVerdicts(run).map((v): Verdict =>
    ({ ...v, status: 'skipped', message: 'not judged: the client sent no request', evidence: [] }))
  return [{ id: 'no-request', title: 'The client sends its requests to the scripted server', requirements: [],
    status: 'failed', message: silentHint(run, baseUrl), evidence: [] }, ...unjudged]
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
