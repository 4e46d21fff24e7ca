/**
 * The polling timeline of a check, derived from its transcript: one lane per `oob_code`, each with the
 * initiation answer, the polls and what they got back, the window in which each poll was allowed, the user's
 * actions (test-control API calls) and the code's expiry. report.html draws it (`reporters/timeline-svg.ts`).
 * @module
 */
import { TOLERANCE } from '../client-check/verdicts.js'
import { responseObject, type Exchange } from '../http/exchange.js'

/** What a poll got back. `unavailable`: 429 or 5xx; `no-response`: timeout, reset, … */
export type PollAnswer = 'pending' | 'slow-down' | 'tokens' | 'error' | 'unavailable' | 'no-response'

export interface TimelinePoll {
  /** When it was sent, ms since the timeline's origin. */
  at: number
  durationMs: number
  answer: PollAnswer
  /** `400 authorization_pending`, `200 tokens`, `no response: timed out after 10 s`. */
  outcome: string
  /** The interval in force for this poll: the initiation answer's, plus 5 s per earlier slow_down. */
  intervalMs: number
  /** From when this poll was allowed: the initiation answer for the first poll, else previous send + interval. */
  windowOpensAt: number
  /** Sent before its window opened (beyond the client-check tolerance). */
  early: boolean
  /** Sent after the code expired (beyond the client-check tolerance). */
  late: boolean
}

export interface TimelineAction {
  at: number
  /** The control operation: `approve`, `deny`, `expire`, `otp`, … */
  action: string
  outcome: string
}

export interface TimelineLane {
  oobCode: string
  /** When the initiation was sent and answered; absent when the transcript holds no initiation for this code. */
  initiatedAt?: number
  answeredAt?: number
  /** The interval of the initiation answer, or the 5 s default when it had none usable (`intervalDefaulted`). */
  intervalMs: number
  intervalDefaulted: boolean
  /** `expires_in` after the initiation answer. */
  expiresAt?: number
  polls: TimelinePoll[]
  actions: TimelineAction[]
}

export interface Timeline {
  /** ISO time of the origin: the first exchange drawn. */
  origin: string
  /** When the last exchange of the polling lanes ended, ms since the origin (expiries may lie beyond). */
  endsAt: number
  lanes: TimelineLane[]
}

/** RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default." */
const DEFAULT_INTERVAL_MS = 5000
/** RFC 8628 §3.5 / CIBA §11: slow_down raises the interval by 5 s for this and all later requests. */
const SLOW_DOWN_STEP_MS = 5000

/**
 * The timeline of `transcript`, or `undefined` when nothing in it polls. An `oob_code` the transcript shows
 * being issued is polled when its initiation answer set an `interval` (push), or when token requests for it
 * came more than once or were told to wait; a single redemption of an OTP (`binding_method: prompt`) is not.
 */
export function timelineOf(transcript: readonly Exchange[]): Timeline | undefined {
  const lanes = new Map<string, Exchange[]>()
  const initiations = new Map<string, Exchange>()
  for (const exchange of transcript) {
    if (!Number.isFinite(sentAt(exchange))) continue
    const issued = issuedCode(exchange)
    if (issued !== undefined && !initiations.has(issued)) initiations.set(issued, exchange)
    const code = issued ?? polledCode(exchange) ?? controlled(exchange)?.oobCode
    if (code !== undefined) lanes.set(code, [...(lanes.get(code) ?? []), exchange])
  }
  const polling = [...lanes].filter(([code, exchanges]) => {
    const initiation = initiations.get(code)
    const polls = exchanges.filter((e) => polledCode(e) !== undefined)
    return initiation !== undefined && polls.length > 0 && (responseObject(initiation).interval !== undefined ||
      polls.length > 1 || polls.some((e) => ['pending', 'slow-down'].includes(classify(e).answer)))
  })
  if (polling.length === 0) return undefined
  const origin = Math.min(...polling.flatMap(([, exchanges]) => exchanges.map(sentAt)))
  const built = polling.map(([code, exchanges]) => lane(code, initiations.get(code)!, exchanges, origin))
  const ends = polling.flatMap(([, exchanges]) => exchanges.map((e) => sentAt(e) + e.durationMs - origin))
  return { origin: new Date(origin).toISOString(), endsAt: Math.max(...ends), lanes: built }
}

function lane(oobCode: string, initiation: Exchange, exchanges: Exchange[], origin: number): TimelineLane {
  const answer = responseObject(initiation)
  const initiatedAt = sentAt(initiation) - origin
  const answeredAt = initiatedAt + initiation.durationMs
  const interval = secondsField(answer.interval)
  const lifetime = secondsField(answer.expires_in)
  const expiresAt = lifetime === undefined ? undefined : answeredAt + lifetime
  const base = interval ?? DEFAULT_INTERVAL_MS
  const polls: TimelinePoll[] = []
  let slowDowns = 0
  for (const exchange of exchanges.filter((e) => polledCode(e) !== undefined)) {
    const at = sentAt(exchange) - origin
    const previous = polls.at(-1)
    const intervalMs = base + SLOW_DOWN_STEP_MS * slowDowns
    // The first poll may come at once (Okta's SDKs poll immediately; OOB-S-IMMEDIATE-FIRST-POLL); each later
    // one waits the interval measured from the previous send (CIBA Core §10.1).
    const windowOpensAt = previous === undefined ? answeredAt : previous.at + intervalMs
    const { answer: got, outcome } = classify(exchange)
    if (got === 'slow-down') slowDowns++
    polls.push({
      at, durationMs: exchange.durationMs, answer: got, outcome, intervalMs, windowOpensAt,
      early: previous !== undefined && at < windowOpensAt - TOLERANCE.earlyMs,
      late: expiresAt !== undefined && at > expiresAt + TOLERANCE.lateMs,
    })
  }
  const actions = exchanges.flatMap((exchange) => {
    const control = controlled(exchange)
    return control === undefined ? []
      : [{ at: sentAt(exchange) - origin, action: control.action, outcome: outcomeOf(exchange) }]
  })
  return {
    oobCode, initiatedAt, answeredAt, intervalMs: base, intervalDefaulted: interval === undefined,
    ...(expiresAt !== undefined && { expiresAt }), polls, actions,
  }
}

function classify(exchange: Exchange): { answer: PollAnswer; outcome: string } {
  const { response } = exchange
  if (response === undefined) return { answer: 'no-response', outcome: outcomeOf(exchange) }
  if (response.status === 429 || response.status >= 500) {
    return { answer: 'unavailable', outcome: outcomeOf(exchange) }
  }
  if (response.status === 200) return { answer: 'tokens', outcome: '200 tokens' }
  const error = responseObject(exchange).error
  const answer = error === 'authorization_pending' ? 'pending' : error === 'slow_down' ? 'slow-down' : 'error'
  return { answer, outcome: outcomeOf(exchange) }
}

function outcomeOf(exchange: Exchange): string {
  const { response } = exchange
  if (response === undefined) return `no response: ${exchange.error ?? 'unknown'}`
  const error = responseObject(exchange).error
  return typeof error === 'string' ? `${response.status} ${error}` : String(response.status)
}

/** The `oob_code` an initiation answer issued. */
function issuedCode(exchange: Exchange): string | undefined {
  if (exchange.operation === 'token' || exchange.operation === 'control') return undefined
  const code = responseObject(exchange).oob_code
  return typeof code === 'string' ? code : undefined
}

/** The `oob_code` a token request (a form with `grant_type`) polls for. */
function polledCode(exchange: Exchange): string | undefined {
  if (exchange.operation !== undefined && exchange.operation !== 'token') return undefined
  const form = new URLSearchParams(exchange.request.body ?? '')
  return form.has('grant_type') ? form.get('oob_code') ?? undefined : undefined
}

/** A test-control call `{controlUrl}/transactions/{oob_code}/{action}`: the user's part. */
function controlled(exchange: Exchange): { oobCode: string; action: string } | undefined {
  if (exchange.operation !== 'control') return undefined
  const match = /\/transactions\/([^/?#]+)\/([^/?#]+)\/?(?:[?#]|$)/.exec(exchange.request.url)
  if (match === null) return undefined
  try {
    return { oobCode: decodeURIComponent(match[1]!), action: decodeURIComponent(match[2]!) }
  } catch {
    return undefined
  }
}

/** A field in seconds as ms, when it is a finite number ≥ 0; anything else (a string, -1, 1e400) counts as absent. */
function secondsField(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value * 1000) && value >= 0 ? value * 1000 : undefined
}

function sentAt(exchange: Exchange): number {
  return Date.parse(exchange.startedAt)
}

