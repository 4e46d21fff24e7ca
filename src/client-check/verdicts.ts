/**
 * Per-scenario verdicts: what the recorded requests and the client's outcome say about each requirement the
 * scenario exercises. Every timing verdict states its rule and tolerance in its message.
 * @module
 */
import type { Profile } from '../profile.js'
import type { ClientOutcome } from './launch.js'
import type { MockTransaction, RecordedRequest } from './mock-server.js'
import type { Scenario, VerdictName } from './scenarios.js'

/** Tolerances of the timing verdicts; reports state them next to every timing result. */
export const TOLERANCE = {
  /**
   * A request may arrive this much sooner than its spacing rule asks. Spacing is measured between arrivals at
   * the scripted server, standing in for the client's send times (CIBA §10.1 measures from the send); the
   * margin absorbs timer and network jitter. When the server's event loop lagged so much that the recorded
   * times could go either way (see `RecordedRequest.earliestArrival`), the verdict is skipped as not judged.
   */
  earlyMs: 100,
  /** A request may arrive this much after the code expired: the client's clock starts at the answer. */
  lateMs: 100,
  /** A back-off waits at least this multiple of the interval, or of the back-off before it. */
  backoffFactor: 1.5,
}

/**
 * A client still running this long after its flow ended is stopped (time a busy machine could not run it
 * does not count); its requests until then are judged.
 */
export const SETTLE_MS = 3000

export interface ScenarioRun {
  scenario: Scenario
  profile: Profile
  requests: RecordedRequest[]
  transactions: MockTransaction[]
  outcome: ClientOutcome
  /** ms since the scripted server started, when the first flow ended (final answer or expiry). */
  finalAt?: number
  durationMs: number
  /** The client the scenario told the command to be. */
  clientId: string
  clientSecret?: string
}

export interface Verdict {
  /** The check id's last part: `<scenario>/<id>`. */
  id: string
  title: string
  requirements: string[]
  status: 'passed' | 'failed' | 'skipped'
  message: string
  /** The requests a failure is about. */
  evidence: RecordedRequest[]
}

/** What a verdict is about: its id, title and requirement. */
interface Rule {
  id: string
  title: string
  requirement: string
}

const rule = (id: string, title: string, requirement: string): Rule =>
  ({ id, title, requirement })
const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`
const early = `(tolerance ${TOLERANCE.earlyMs} ms early)`
const NO_FLOW = 'the client never started a flow'

function judge(r: Rule, failures: string[], evidence: RecordedRequest[], passed: string): Verdict {
  const base = { id: r.id, title: r.title, requirements: [r.requirement] }
  return failures.length > 0
    ? { ...base, status: 'failed', message: failures.slice(0, 3).join('; '), evidence }
    : { ...base, status: 'passed', message: passed, evidence: [] }
}

function skip(r: Rule, why: string): Verdict {
  return { id: r.id, title: r.title, requirements: [r.requirement], status: 'skipped', message: why,
    evidence: [] }
}

/** `judge` for timing rules: no clear failure but a request it could not time leaves the rule unjudged. */
function judgeTiming(r: Rule, failures: string[], unsure: string[], evidence: RecordedRequest[],
  passed: string): Verdict {
  if (failures.length > 0 || unsure.length === 0) return judge(r, failures, evidence, passed)
  return skip(r, `not judged, the machine was too busy: ${unsure[0]}`)
}

/** The token requests for `tx`, split at the one that got the flow's final answer. */
function pollsOf(run: ScenarioRun, tx: MockTransaction):
  { flow: RecordedRequest[]; after: RecordedRequest[] } {
  const all = run.requests.filter((r) => r.endpoint === 'token' && r.oobCode === tx.oobCode)
  const finalAt = tx.finished?.at
  return {
    flow: all.filter((r) => finalAt === undefined || r.arrivedAt <= finalAt),
    after: all.filter((r) => finalAt !== undefined && r.arrivedAt > finalAt),
  }
}

const hasParam = (r: RecordedRequest, name: string) => r.params?.some(([n]) => n === name) ?? false
const param = (r: RecordedRequest, name: string) => r.params?.find(([n]) => n === name)?.[1]

type Timing = 'ok' | 'short' | 'unsure'

/**
 * Whether `second` came at least `required` ms after `first`, within the tolerance. Each true arrival lies
 * between a request's `earliestArrival` and its stamp: `unsure` when that leaves both answers possible.
 */
function timeGap(first: RecordedRequest, second: RecordedRequest, required: number): Timing {
  const limit = required - TOLERANCE.earlyMs
  const { least, most } = bounds(first, second)
  return least >= limit ? 'ok' : most < limit ? 'short' : 'unsure'
}

/**
 * The shortest and the longest the time between two requests can have been, as the client meant to send
 * them: `first` may have been written as much later as the client waited for a CPU before it.
 */
function bounds(first: RecordedRequest, second: RecordedRequest): { least: number; most: number } {
  return { least: second.earliestArrival - first.arrivedAt,
    most: second.arrivedAt - first.earliestArrival + first.clientStallMs }
}

/**
 * Why the time of these requests is uncertain: the longest lag of the event loop when they were stamped, or
 * the longest the client's processes waited for a CPU before one of them.
 */
function lagged(run: ScenarioRun, ...requests: RecordedRequest[]): string {
  const lag = (r: RecordedRequest) => r.arrivedAt - r.earliestArrival
  const worst = requests.reduce((a, b) => (lag(b) > lag(a) ? b : a))
  const starved = requests.reduce((a, b) => (b.clientStallMs > a.clientStallMs ? b : a))
  return starved.clientStallMs > lag(worst)
    ? `the client’s processes waited ${s(starved.clientStallMs)} for a CPU before ${label(run, starved)}`
    : `the scripted server’s event loop lagged up to ${s(lag(worst))} around ${label(run, worst)}`
}

/** A request as the timeline numbers it. */
function label(run: ScenarioRun, r: RecordedRequest): string {
  return `request #${run.requests.indexOf(r) + 1} (${r.endpoint ?? r.url})`
}

export function scenarioVerdicts(run: ScenarioRun): Verdict[] {
  const { scenario } = run
  const tx = run.transactions[0]
  const verdicts = [outcome(run)]
  if (scenario.afterFinal !== undefined) verdicts.push(afterFinal(run, tx, scenario.afterFinal))
  for (const name of scenario.verdicts) verdicts.push(...BY_NAME[name](run, tx))
  return verdicts
}

const BY_NAME: Record<VerdictName, (run: ScenarioRun, tx: MockTransaction | undefined) => Verdict[]> = {
  spacing,
  'stop-at-expiry': (run, tx) => [stopAtExpiry(run, tx)],
  'single-initiation': (run) => [singleInitiation(run)],
  'rate-limit-backoff': rateLimitBackoff,
  'failure-backoff': failureBackoff,
  prompt,
  transfer,
  'no-token-request': (run) => [noTokenRequest(run)],
  'polls-after-start': (run, tx) => [pollsAfterStart(run, tx)],
  'slow-response': (run, tx) => [slowResponse(run, tx)],
}

function describeOutcome(o: ClientOutcome): string {
  if (o.stopped === 'timeout') return 'was still running at the scenario timeout and was stopped'
  if (o.stopped === 'after-final') return `was still running ${SETTLE_MS / 1000} s after the flow; stopped`
  if (o.stopped === 'aborted') return 'was stopped because the run was interrupted'
  const why = o.error ?? o.output.trim().split('\n').at(-1)
  const how = o.signal !== undefined ? `was killed by ${o.signal}` : `exited with code ${o.exitCode}`
  return why ? `${how} (${why.slice(0, 200)})` : how
}

/**
 * What a crash leaves behind, as common runtimes print it: a JavaScript stack frame, a Python traceback, a
 * Rust panic, a fatal signal. A client that ends with its own message and a non-zero exit code reported.
 */
const CRASH_SIGNS = [/^\s+at .+:\d+:\d+\)?$/m, /^Traceback \(most recent call last\):$/m, /panicked at /,
  /^Exception in thread /m, /Segmentation fault|core dumped/]

/** The line that shows the client crashed, or undefined when it exited by itself without a crash's trace. */
function crashOf(o: ClientOutcome): string | undefined {
  if (o.signal !== undefined) return `killed by ${o.signal}`
  const text = [o.error ?? '', o.output].join('\n')
  for (const sign of CRASH_SIGNS) {
    const found = sign.exec(text)
    if (found) return found[0].trim().slice(0, 200)
  }
  return undefined
}

/**
 * What the client did with the access token it was issued: presented it (any scheme) at the userinfo
 * endpoint, or printed it. Undefined when it did neither.
 */
function tokenUse(run: ScenarioRun, tx: MockTransaction | undefined): string | undefined {
  const tokens = tx?.tokens
  if (tokens === undefined) return undefined
  const presented = run.requests.find((q) => q.endpoint === 'userinfo' &&
    q.headers.authorization?.split(' ').at(-1) === tokens.accessToken)
  if (presented !== undefined) {
    const scheme = presented.headers.authorization!.split(' ')[0]
    return `presented the access token (token_type ${JSON.stringify(tokens.tokenType)}) at userinfo as ` +
      `"${scheme} …", ${label(run, presented)}`
  }
  // The token itself never goes into a message: it is a secret of the run.
  return run.outcome.output.includes(tokens.accessToken)
    ? `printed the access token (token_type ${JSON.stringify(tokens.tokenType)})`
    : undefined
}

/**
 * `outcomeEvidence: 'token-use'`: whether the client used the access token decides; an exit code alone says
 * nothing about a token the client never read (a client that signs the user in by the id_token, say).
 */
function tokenUseOutcome(run: ScenarioRun, base: Omit<Verdict, 'status' | 'message'>): Verdict {
  const { scenario, outcome: o } = run
  const tx = run.transactions[0]
  const reportedSuccess = o.exitCode === 0 && o.stopped === undefined
  const notJudged = (why: string): Verdict => ({ ...base, status: 'skipped', message: why })
  if (tx?.tokens === undefined) return notJudged('not applicable: the client never got to the token response')
  const used = tokenUse(run, tx)
  const verdict = (passed: boolean, message: string): Verdict =>
    ({ ...base, status: passed ? 'passed' : 'failed', message: `the client ${message}` })
  if (used !== undefined) return verdict(scenario.expect === 'tokens', used)
  if (!reportedSuccess) {
    return verdict(scenario.expect === 'failure',
      `${describeOutcome(o)} without using the access token it received`)
  }
  return notJudged('no evidence: the client exited with code 0 but neither presented the access token at ' +
    'userinfo nor printed it, so what it made of the token is unknown')
}

/**
 * Why a client that ended without tokens did not reach what the scenario is about — its first answer other
 * than authorization_pending or tokens (the 503, the denial, the 403…) — or undefined when it did. Giving up
 * before that answer is judged where it belongs: on a plain pending, by push-approved.
 */
function unreached(run: ScenarioRun): string | undefined {
  const tx = run.transactions[0]
  if (tx === undefined) return NO_FLOW
  const { polls } = run.scenario
  const about = polls.findIndex((p) => p.kind !== 'pending' && p.kind !== 'tokens')
  if (about < 0 || tx.answered > about) return undefined
  const answer = polls[about]!
  const what = answer.kind === 'error' ? `${answer.status} ${answer.error}` : answer.kind
  return `the client ended the flow after ${tx.answered} poll answer(s), before the ${what} answer ` +
    'this scenario is about'
}

function outcome(run: ScenarioRun): Verdict {
  const { scenario, outcome: o } = run
  const reportedSuccess = o.exitCode === 0 && o.stopped === undefined
  const title = scenario.expect === 'tokens'
    ? 'The client completes the flow and reports success (exit code 0)'
    : 'The client reports the failed flow as a failure (non-zero exit code)'
  if (scenario.outcomeEvidence === 'token-use') {
    return tokenUseOutcome(run, { id: 'outcome', title: scenario.expect === 'tokens'
      ? 'The client accepts the token response and uses the access token'
      : 'The client does not use an access token of a type it does not understand',
    requirements: scenario.outcome, evidence: [] })
  }
  const base = { id: 'outcome', title, requirements: scenario.outcome, evidence: [] }
  if (scenario.outcomeEvidence === 'recovers-or-reports' && !reportedSuccess && o.stopped === undefined) {
    // OOB-C-OKTA-ERROR-SHAPE: an error the client "recovers from or reports, never … a crash or a success".
    const crash = crashOf(o)
    return crash === undefined
      ? { ...base, status: 'passed', message: `the client reported the error: it ${describeOutcome(o)}` }
      : { ...base, status: 'failed', message: `the client crashed on the error: ${crash}` }
  }
  const notJudged = unreached(run)
  if (!reportedSuccess && o.stopped !== 'timeout' && notJudged !== undefined) {
    return { ...base, status: 'skipped', message: `not applicable: ${notJudged}` }
  }
  const failures: string[] = []
  if (scenario.expect === 'tokens') {
    const gotTokens = run.requests.some((r) => r.answer.kind === 'tokens')
    if (!reportedSuccess) failures.push(`the client ${describeOutcome(o)}`)
    else if (!gotTokens) failures.push('the client exited with code 0 but never received tokens')
  } else if (reportedSuccess) {
    failures.push('the client exited with code 0: it reported a failed flow as a successful sign-in')
  } else if (o.stopped === 'timeout' && run.finalAt === undefined) {
    failures.push(`the client ${describeOutcome(o)} before the flow ended`)
  }
  if (failures.length > 0) return { ...base, status: 'failed', message: failures.join('; ') }
  const passed = reportedSuccess ? 'exited with code 0 after receiving tokens' : describeOutcome(o)
  return { ...base, status: 'passed', message: `the client ${passed}` }
}

function afterFinal(run: ScenarioRun, tx: MockTransaction | undefined, requirement: string): Verdict {
  const r: Rule = { id: 'after-final', title: 'No request uses the code after the final answer', requirement }
  if (tx?.finished === undefined) return skip(r, 'the flow never reached its final answer')
  const endedAt = tx.finished.at
  const { after } = pollsOf(run, tx)
  const final = run.requests.find((q) => q.oobCode === tx.oobCode && q.answer.final)
  const what = final === undefined
    ? 'the expiry'
    : `the final answer (${final.answer.status} ${final.answer.error ?? final.answer.kind}, ` +
      `${label(run, final)})`
  // No lag can excuse these: a request sent before the final answer arrived would be an overlapping one.
  const uses = after.map((q) => `${label(run, q)} used the code ${s(q.arrivedAt - endedAt)} after ${what}`)
  return judge(r, uses, after, `nothing used the code after ${what}`)
}

function spacing(run: ScenarioRun, tx: MockTransaction | undefined): Verdict[] {
  const { scenario } = run
  const base = scenario.start.interval ?? 5
  const rules = new Map<string, Rule>([['base', scenario.start.interval === undefined
    ? rule('default-interval', 'Without interval, polls are at least 5 s apart', 'OOB-C-DEFAULT-INTERVAL')
    : rule('interval', `Polls are at least interval (${base} s) apart`, 'OOB-C-RESPECT-INTERVAL')]])
  if (scenario.polls.some((p) => p.kind === 'slow_down')) {
    rules.set('adds',
      rule('slow-down-adds-5s', 'The poll after a slow_down waits 5 s more', 'OOB-C-SLOW-DOWN-ADDS-5S'))
    rules.set('persists', rule('slow-down-persists', 'The added 5 s last, and each slow_down adds 5 s more',
      'OOB-C-SLOW-DOWN-PERSISTS'))
  }
  if (tx === undefined) return [...rules.values()].map((r) => skip(r, NO_FLOW))
  const { flow } = pollsOf(run, tx)
  const pairs: { key: string; gap: number; timing: Timing; required: number; pair: RecordedRequest[] }[] = []
  let slowDowns = 0
  for (let i = 1; i < flow.length; i++) {
    const previous = flow[i - 1]!
    const afterSlowDown = previous.answer.kind === 'slow_down'
    if (afterSlowDown) slowDowns++
    // The first slow_down's own poll is "adds"; every later one, and each further slow_down, is "persists".
    const key = slowDowns === 0 ? 'base' : afterSlowDown && slowDowns === 1 ? 'adds' : 'persists'
    const required = (base + 5 * slowDowns) * 1000
    const request = flow[i]!
    const gap = request.arrivedAt - previous.arrivedAt
    const timing = timeGap(previous, request, required)
    pairs.push({ key, gap, timing, required, pair: [previous, request] })
  }
  return [...rules].map(([key, r]) => {
    const mine = pairs.filter((p) => p.key === key)
    if (mine.length === 0) {
      return skip(r, key === 'base'
        ? 'fewer than two polls: no spacing to measure'
        : 'no poll followed the slow_down this rule is about')
    }
    const short = mine.filter((p) => p.timing === 'short')
    const margin = Math.min(...mine.map((p) => p.gap - p.required))
    const required = [...new Set(mine.map((p) => s(p.required)))].join(' / ')
    return judgeTiming(r,
      short.map((p) => `${label(run, p.pair[1]!)} came ${s(p.gap)} after the previous poll; at least ${
        s(p.required)} required ${early}`),
      mine.filter((p) => p.timing === 'unsure').map((p) => lagged(run, ...p.pair)),
      short.map((p) => p.pair[1]!),
      `${mine.length} gap(s) between poll arrivals, each at least the ${required} required ` +
        `(tightest margin ${margin >= 0 ? '+' : ''}${s(margin)}) ${early}`)
  })
}

function stopAtExpiry(run: ScenarioRun, tx: MockTransaction | undefined): Verdict {
  const r = rule('stop-at-expiry', 'No request uses the code once expires_in has elapsed', 'OOB-C-STOP-AT-EXPIRY')
  if (tx === undefined) return skip(r, NO_FLOW)
  const tolerance = `tolerance ${TOLERANCE.lateMs} ms late`
  const limit = tx.expiresAt + TOLERANCE.lateMs
  const requests = run.requests.filter((q) => q.oobCode === tx.oobCode)
  const polls = requests.filter((q) => q.endpoint === 'token')
  if (polls.length === 0) return skip(r, 'not applicable: the client sent no poll')
  // The client's clock starts when the start answer reaches it: later by as much as the event loop lagged.
  const lag = Math.max(...requests.map((q) => q.arrivedAt - q.earliestArrival))
  const late = polls.filter((q) => q.earliestArrival > limit + lag)
  return judgeTiming(r,
    late.map((q) => `${label(run, q)} came ${s(q.earliestArrival - tx.expiresAt)} after the code expired ` +
      `(expires_in ${run.scenario.start.expiresIn} s; ${tolerance})`),
    polls.filter((q) => q.arrivedAt > limit && !late.includes(q)).map((q) => lagged(run, q)),
    late, `no request after the code expired at ${s(tx.expiresAt - tx.issuedAt)} (${tolerance})`)
}

function singleInitiation(run: ScenarioRun): Verdict {
  const r = rule('single-initiation', 'The client does not start a new flow by itself', 'OOB-C-NO-AUTO-RESTART')
  const starts = run.requests.filter((q) => q.endpoint === 'primary-authenticate' ||
    q.endpoint === 'oob-authenticate')
  if (starts.length === 0) return skip(r, NO_FLOW)
  const failures = starts.length > 1
    ? [`the client started ${starts.length} flows without the user asking`]
    : []
  return judge(r, failures, starts.slice(1), 'one initiation request')
}

/** The interval in force when `request` was sent: the scripted one plus 5 s per slow_down before it. */
function intervalBefore(run: ScenarioRun, flow: RecordedRequest[], request: RecordedRequest): number {
  const slowDowns = flow.slice(0, flow.indexOf(request)).filter((q) => q.answer.kind === 'slow_down').length
  return ((run.scenario.start.interval ?? 5) + 5 * slowDowns) * 1000
}

function rateLimitBackoff(run: ScenarioRun, tx: MockTransaction | undefined): Verdict[] {
  const backoffRule = rule('backoff-on-429',
    'After a 429 the client waits longer than its interval, then carries on', 'OOB-C-BACKOFF-ON-429')
  const honourRule = rule('honours-retry-after',
    'After a 429 the client waits as long as Retry-After / X-Rate-Limit-Reset ask', 'OOB-C-HONOUR-RETRY-AFTER')
  if (tx === undefined) return [skip(backoffRule, NO_FLOW), skip(honourRule, NO_FLOW)]
  const { flow } = pollsOf(run, tx)
  const limited = flow.filter((q) => q.answer.kind === 'rate-limited')
  if (limited.length === 0) {
    return [backoffRule, honourRule].map((r) => skip(r, 'the client never got the 429'))
  }
  const backoff: string[] = []
  const honour: string[] = []
  const unsure: string[] = []
  const evidence: RecordedRequest[] = []
  for (const q of limited) {
    const next = flow[flow.indexOf(q) + 1]
    if (next === undefined) {
      backoff.push(`no request followed the 429 (${label(run, q)}): the client gave up the flow`)
      continue
    }
    const needed = TOLERANCE.backoffFactor * intervalBefore(run, flow, q)
    const timing = timeGap(q, next, needed)
    if (timing === 'unsure') unsure.push(lagged(run, q, next))
    if (timing === 'short') {
      backoff.push(`${label(run, next)} came ${s(next.arrivedAt - q.arrivedAt)} after the 429; at least ` +
        `${s(needed)} (${TOLERANCE.backoffFactor} × interval) required ${early}`)
      evidence.push(next)
    }
    // A stamp is never earlier than the arrival: a request stamped too soon came too soon.
    const retryAt = q.answer.retryAt!
    if (next.arrivedAt < retryAt - TOLERANCE.earlyMs) {
      honour.push(`${label(run, next)} came ${s(retryAt - next.arrivedAt)} before the time the 429's ` +
        `headers named ${early}`)
      evidence.push(next)
    }
  }
  const retried = limited.some((q) => flow[flow.indexOf(q) + 1] !== undefined)
  return [
    judgeTiming(backoffRule, backoff, unsure, evidence,
      `the client waited ≥ ${TOLERANCE.backoffFactor} × interval after each 429 and carried on ${early}`),
    retried
      ? judge(honourRule, honour, evidence, `no request before the time each 429 named ${early}`)
      : skip(honourRule, 'not applicable: no request followed the 429'),
  ]
}

function failureBackoff(run: ScenarioRun, tx: MockTransaction | undefined): Verdict[] {
  const backoffRule = rule('backoff', 'After a 5xx or a connection failure the client polls less often',
    'OOB-C-TIMEOUT-BACKOFF')
  const growRule =
    rule('backoff-grows', 'Back-offs grow exponentially while failures repeat', 'OOB-C-TIMEOUT-EXPONENTIAL')
  if (tx === undefined) return [skip(backoffRule, NO_FLOW), skip(growRule, NO_FLOW)]
  const { flow } = pollsOf(run, tx)
  const failed = (q: RecordedRequest | undefined) =>
    q?.answer.kind === 'server-error' || q?.answer.kind === 'reset'
  const backoff: string[] = []
  const grow: string[] = []
  const unsure = { backoff: [] as string[], grow: [] as string[] }
  const evidence: RecordedRequest[] = []
  let retries = 0
  let consecutive = 0
  flow.forEach((q, i) => {
    const next = flow[i + 1]
    if (!failed(q) || next === undefined) return
    retries++
    const gap = next.arrivedAt - q.arrivedAt
    const needed = TOLERANCE.backoffFactor * intervalBefore(run, flow, q)
    const timing = timeGap(q, next, needed)
    if (timing === 'unsure') unsure.backoff.push(lagged(run, q, next))
    if (timing === 'short') {
      backoff.push(`${label(run, next)} came ${s(gap)} after a ${q.answer.status ?? 'reset'}; at least ` +
        `${s(needed)} (${TOLERANCE.backoffFactor} × interval) required ${early}`)
      evidence.push(next)
    }
    const previous = flow[i - 1]
    if (previous === undefined || !failed(previous)) return
    consecutive++
    const now = bounds(q, next)
    const before = bounds(previous, q)
    const grows = (after: number, last: number) => after >= TOLERANCE.backoffFactor * last - TOLERANCE.earlyMs
    if (!grows(now.most, before.least)) {
      grow.push(`the back-off after the second failure in a row (${s(gap)}) is not ` +
        `${TOLERANCE.backoffFactor} × the one before it (${s(q.arrivedAt - previous.arrivedAt)}) ${early}`)
      evidence.push(next)
    } else if (!grows(now.least, before.most)) {
      unsure.grow.push(lagged(run, previous, q, next))
    }
  })
  // A client that never retries (it fails closed) gives these rules nothing to judge; whether it should have
  // carried on is its outcome's question.
  return [
    retries === 0
      ? skip(backoffRule, 'not applicable: no request followed a failure (the client did not retry)')
      : judgeTiming(backoffRule, backoff, unsure.backoff, evidence,
        `each retry came ≥ ${TOLERANCE.backoffFactor} × interval after the failure ${early}`),
    consecutive === 0
      ? skip(growRule, 'not applicable: no retry followed two failures in a row')
      : judgeTiming(growRule, grow, unsure.grow, evidence,
        `the back-off after consecutive failures grew by ≥ ${TOLERANCE.backoffFactor} × ${early}`),
  ]
}

/** How long a client waits for a poll's answer at least (OOB-C-TOLERATE-SLOW-RESPONSE). */
const SLOW_RESPONSE_MS = 30_000

function slowResponse(run: ScenarioRun, tx: MockTransaction | undefined): Verdict {
  const r = rule('waits-for-slow-answer', `The client waits ${SLOW_RESPONSE_MS / 1000} s for a poll answer`,
    'OOB-C-TOLERATE-SLOW-RESPONSE')
  if (tx === undefined) return skip(r, NO_FLOW)
  const held = pollsOf(run, tx).flow.filter((q) => q.answer.heldMs !== undefined)
  if (held.length === 0) return skip(r, 'not applicable: the client never sent the poll whose answer is held back')
  const gaveUp = held.filter((q) => q.answer.abandonedAt !== undefined &&
    q.answer.abandonedAt - q.earliestArrival < SLOW_RESPONSE_MS - TOLERANCE.lateMs)
  return judge(r, gaveUp.map((q) => `${label(run, q)}: the client closed the connection ` +
    `${s(q.answer.abandonedAt! - q.arrivedAt)} after sending it, before the answer held back ` +
    `${s(q.answer.heldMs!)}; at least ${s(SLOW_RESPONSE_MS)} required`), gaveUp,
  `the client waited for each answer held back (${s(held[0]!.answer.heldMs!)})`)
}

function prompt(run: ScenarioRun, tx: MockTransaction | undefined): Verdict[] {
  const noPollRule =
    rule('prompt-no-poll', 'No token request before the user typed the code', 'OOB-C-PROMPT-NO-POLL')
  const sendsRule = rule('prompt-sends-code', 'One token request carrying oob_code and binding_code',
    'OOB-C-PROMPT-SENDS-CODE')
  const verbatimRule = rule('binding-code-verbatim', 'binding_code is exactly what the user typed',
    'OOB-C-BINDING-CODE-VERBATIM')
  if (tx === undefined) return [noPollRule, sendsRule, verbatimRule].map((r) => skip(r, NO_FLOW))
  const { flow } = pollsOf(run, tx)
  const polls = flow.filter((q) => !hasParam(q, 'binding_code'))
  const withCode = flow.filter((q) => hasParam(q, 'binding_code'))
  const typed = run.scenario.typedCode!
  // The code is a secret of the run: describe how it changed, never show it.
  const changed = withCode.filter((q) => param(q, 'binding_code') !== typed)
  const how = (sent: string) => sent === typed.trim() ? 'whitespace trimmed'
    : sent === typed.replace(/^0+(?=\d)/, '') ? 'leading zeros dropped (read as a number)'
    : sent.toLowerCase() === typed.toLowerCase() ? 'letter case changed'
    : sent.replace(/\s/g, '') === typed.replace(/\s/g, '') ? 'whitespace changed' : 'a different value'
  const sends = withCode.length === 1 ? [] : [withCode.length === 0
    ? 'no token request carried binding_code'
    : `${withCode.length} token requests carried binding_code; one was expected`]
  return [
    judge(noPollRule, polls.map((q) => `${label(run, q)} polled without binding_code`), polls,
      'no token request without binding_code'),
    judge(sendsRule, sends, withCode.slice(1), 'one token request with oob_code and binding_code'),
    withCode.length === 0
      ? skip(verbatimRule, 'no binding_code was sent')
      : judge(verbatimRule,
        changed.map((q) => {
          const sent = param(q, 'binding_code')!
          return `${label(run, q)} sent a ${sent.length}-character binding_code for the ${typed.length} ` +
            `characters typed: ${how(sent)}`
        }),
        changed,
        `binding_code equals the typed code, its ${typed.length - typed.trim().length} surrounding spaces ` +
          'included'),
  ]
}

function transfer(run: ScenarioRun, tx: MockTransaction | undefined): Verdict[] {
  const code = run.scenario.start.bindingCode!
  const showRule =
    rule('shows-binding-code', 'The client shows binding_code to the user', 'OOB-C-SHOW-BINDING-CODE')
  const pollRule = rule('transfer-polls-without-code', 'Polls carry no binding_code', 'OOB-C-TRANSFER-POLL-NO-CODE')
  if (tx === undefined) return [skip(showRule, NO_FLOW), skip(pollRule, NO_FLOW)]
  const shown = new RegExp(`(^|\\D)${code}(\\D|$)`).test(run.outcome.output)
  const show = judge(showRule,
    shown ? [] : [`the number ${code} appears nowhere in what the client printed or displayed`], [],
    `the client showed the number ${code}`)
  const { flow } = pollsOf(run, tx)
  const sent = flow.filter((q) => hasParam(q, 'binding_code'))
  return [show, flow.length === 0
    ? skip(pollRule, 'the client never polled')
    : judge(pollRule, sent.map((q) => `${label(run, q)} sent binding_code`), sent,
      `${flow.length} poll(s) without binding_code`)]
}

function noTokenRequest(run: ScenarioRun): Verdict {
  const r = rule('no-token-request', 'The client does not poll a transaction it cannot complete',
    'OOB-C-TRANSFER-MISSING-CODE')
  if (run.transactions.length === 0) return skip(r, NO_FLOW)
  const polls = run.requests.filter((q) => q.endpoint === 'token')
  return judge(r, polls.map((q) => `${label(run, q)} polled anyway`), polls, 'no token request')
}

function pollsAfterStart(run: ScenarioRun, tx: MockTransaction | undefined): Verdict {
  const r = rule('polls-after-start', 'The client accepts a start response with unknown members',
    'OOB-C-IGNORE-UNKNOWN-INIT-FIELDS')
  if (tx === undefined) return skip(r, NO_FLOW)
  const polled = pollsOf(run, tx).flow.length > 0
  return judge(r, polled ? [] : ['the client never polled after the start response'], [],
    'the client went on to poll')
}
