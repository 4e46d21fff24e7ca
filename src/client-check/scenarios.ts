/**
 * The scenarios of `client-check`: what the scripted server answers, what a conforming client does, and which
 * verdicts judge it. Intervals are 1 s wherever the rule under test allows; the longest scenario holds a poll
 * answer back 31 s (OOB-C-TOLERATE-SLOW-RESPONSE names 30 s), so the whole set runs in about 40 s when the
 * scenarios run in parallel.
 * @module
 */
import type { Profile } from '../profile.js'
import type { BindingMethod, Channel } from '../protocol/index.js'

/** The scripted answer to one token request. */
export type PollAnswer =
  | { kind: 'pending' }
  | { kind: 'slow_down' }
  | { kind: 'tokens'; tokenType?: string }
  /** The profile's error for a denied push or an expired code (okta 400 invalid_grant / 403 access_denied).
   * */
  | { kind: 'denied' }
  | { kind: 'expired' }
  | { kind: 'error'; status: number; error: string; description: string }
  /** 429; `okta` also sends the X-Rate-Limit headers (`seconds` until X-Rate-Limit-Reset), `oauth`
   * Retry-After. `retryAfter: 'date'`: Retry-After as an HTTP date, and nothing else names the time. */
  | { kind: 'rate-limited'; seconds: number; shape: 'oauth' | 'okta'; retryAfter?: 'date' }
  | { kind: 'server-error'; status: 500 | 503; shape: 'oauth' | 'okta' }
  /** The connection is closed without an answer. */
  | { kind: 'reset' }
  /** `answer`, held back `seconds` before it is written. */
  | { kind: 'slow'; seconds: number; answer: Exclude<PollAnswer, { kind: 'slow' }> }

/** Verdicts a scenario asks for besides the wire checks, which judge every request of every scenario. */
export type VerdictName =
  | 'spacing'
  | 'stop-at-expiry'
  | 'single-initiation'
  | 'rate-limit-backoff'
  | 'failure-backoff'
  | 'prompt'
  | 'transfer'
  | 'no-token-request'
  | 'polls-after-start'
  | 'slow-response'

export interface Scenario {
  name: string
  title: string
  /** What the server does and what a conforming client does, in a sentence or two, for reports. */
  description: string
  client: 'public' | 'confidential'
  loginHint: string
  channel: Channel
  start: { expiresIn: number; interval?: number; bindingMethod: BindingMethod; bindingCode?: string }
  /** Answers to the successive token requests for the code; the last one repeats. */
  polls: PollAnswer[]
  /** `prompt`: the code as the user types it (OOB_OTP_FILE, stdin). */
  typedCode?: string
  /** Adds unknown members to every JSON response. */
  extraMembers?: boolean
  /** The profiles the scenario applies to (default: both): a premise a profile rules out is not tested
   * there. */
  profiles?: Profile[]
  /** Whether a conforming client ends with tokens (exit code 0) or a failure (non-zero). */
  expect: 'tokens' | 'failure'
  /** Requirement ids the client's overall result answers for. */
  outcome: string[]
  /**
   * `token-use`: the outcome is judged on what the client did with the access token — presented it at the
   * userinfo endpoint or printed it — not on its exit code alone, which says nothing about a token it never
   * read. `recovers-or-reports`: ending with tokens or with a failure the client reported (a non-zero exit
   * without a crash's trace) both pass; only a crash or a claimed success fails.
   */
  outcomeEvidence?: 'token-use' | 'recovers-or-reports'
  /** Requirement id: no request may use the code after the final answer (tokens or a terminal error). */
  afterFinal?: string
  verdicts: VerdictName[]
}

const pending: PollAnswer = { kind: 'pending' }
const slowDown: PollAnswer = { kind: 'slow_down' }
const tokens: PollAnswer = { kind: 'tokens' }
const push = { loginHint: 'zoë+push@example.test', channel: 'push' } as const
const pushStart = { expiresIn: 60, interval: 1, bindingMethod: 'none' } as const
const noReuse = 'OOB-C-NO-REUSE-AFTER-TOKENS'
const serverError: PollAnswer = { kind: 'server-error', status: 503, shape: 'oauth' }
const PENDING = 'The user has not answered yet.'

/** A push flow of the public client, interval 1 s, that a conforming client completes with tokens. */
const pushToTokens = (scenario: Pick<Scenario, 'name' | 'title' | 'description' | 'polls' | 'outcome' |
  'verdicts'> & Partial<Scenario>): Scenario =>
  ({ client: 'public', ...push, start: pushStart, expect: 'tokens', afterFinal: noReuse, ...scenario })

/** The number a number-challenge scenario asks the client to show. */
export const NUMBER_CHALLENGE = '73'

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'push-approved',
    title: 'Push approved after two pending polls',
    description: 'authorization_pending twice, then tokens; the client keeps polling at interval (1 s).',
    client: 'public', ...push, start: pushStart, polls: [pending, pending, tokens],
    expect: 'tokens', outcome: ['OOB-C-KEEP-POLLING'], afterFinal: noReuse, verdicts: ['spacing'],
  },
  {
    name: 'confidential-client',
    title: 'A confidential client authenticates on every request',
    description: 'The client has a secret (OOB_CLIENT_SECRET) and must send it with exactly one method.',
    client: 'confidential', ...push, start: pushStart, polls: [pending, tokens],
    expect: 'tokens', outcome: ['OOB-C-KEEP-POLLING'], afterFinal: noReuse, verdicts: ['spacing'],
  },
  {
    name: 'slow-down',
    title: 'slow_down on the second poll',
    description: 'After slow_down the interval becomes 6 s for the next poll and every later one.',
    client: 'public', ...push, start: pushStart, polls: [pending, slowDown, pending, tokens],
    expect: 'tokens', outcome: ['OOB-C-SLOW-DOWN-CONTINUE'], afterFinal: noReuse, verdicts: ['spacing'],
  },
  {
    name: 'slow-down-repeated',
    title: 'slow_down twice in a row',
    description: 'Each slow_down adds another 5 s: the polls after them are ≥ 6 s and then ≥ 11 s apart.',
    client: 'public', ...push, start: pushStart, polls: [pending, slowDown, slowDown, tokens],
    expect: 'tokens', outcome: ['OOB-C-SLOW-DOWN-CONTINUE'], afterFinal: noReuse, verdicts: ['spacing'],
  },
  {
    name: 'no-interval',
    title: 'Push without interval',
    description: 'The start response has no interval: the client polls every 5 s. Not under okta: Okta ' +
      'always sends interval for push, and its contract refuses a push start response without one.',
    client: 'public', ...push, start: { expiresIn: 60, bindingMethod: 'none' }, profiles: ['rfc'],
    polls: [pending, pending, tokens],
    expect: 'tokens', outcome: ['OOB-C-DEFAULT-INTERVAL'], afterFinal: noReuse, verdicts: ['spacing'],
  },
  {
    name: 'long-interval',
    title: 'An interval longer than the usual 5 s',
    description: 'interval 6: a client that assumes 5 s polls too soon.',
    client: 'public', ...push, start: { ...pushStart, interval: 6 }, polls: [pending, tokens],
    expect: 'tokens', outcome: ['OOB-C-KEEP-POLLING'], afterFinal: noReuse, verdicts: ['spacing'],
  },
  {
    name: 'denied',
    title: 'The user denies the push',
    description: 'The second poll gets the profile’s denial error; the client stops and reports the failure.',
    client: 'public', ...push, start: pushStart, polls: [pending, { kind: 'denied' }],
    expect: 'failure', outcome: ['OOB-C-REPORT-FAILURE'], afterFinal: 'OOB-C-STOP-ON-DENIAL', verdicts: ['spacing'],
  },
  {
    name: 'expired-mid-poll',
    title: 'The code expires while the client polls',
    description: 'The second poll gets the profile’s expiry error although expires_in has not elapsed on ' +
      'the client’s clock; the client stops, reports the failure and does not start over by itself.',
    client: 'public', ...push, start: pushStart, polls: [pending, { kind: 'expired' }],
    expect: 'failure', outcome: ['OOB-C-REPORT-FAILURE'], afterFinal: 'OOB-C-STOP-ON-EXPIRED',
    verdicts: ['spacing', 'single-initiation'],
  },
  {
    name: 'expires-in-elapses',
    title: 'The user never answers',
    description: 'Every poll is pending; expires_in is 6 s with interval 4 s: the client polls once, at ' +
      '4 s, and stops by itself.',
    client: 'public', ...push, start: { expiresIn: 6, interval: 4, bindingMethod: 'none' }, polls: [pending],
    expect: 'failure', outcome: ['OOB-C-REPORT-FAILURE'], verdicts: ['stop-at-expiry', 'single-initiation'],
  },
  {
    name: 'invalid-request',
    title: 'invalid_request in answer to a poll',
    description: 'CIBA §11: after invalid_request a client must not make any further request for the code.',
    client: 'public', ...push, start: pushStart,
    polls: [pending,
      { kind: 'error', status: 400, error: 'invalid_request', description: 'Polling too often.' }],
    expect: 'failure', outcome: ['OOB-C-REPORT-FAILURE'], afterFinal: 'OOB-C-STOP-ON-INVALID-REQUEST',
    verdicts: ['spacing'],
  },
  {
    name: 'unknown-error',
    title: 'An error code the client cannot know',
    description: 'RFC 8628 §3.5: on any error but authorization_pending and slow_down the client stops.',
    client: 'public', ...push, start: pushStart,
    polls: [pending, { kind: 'error', status: 400, error: 'authenticator_locked', description: 'Locked.' }],
    expect: 'failure', outcome: ['OOB-C-REPORT-FAILURE'], afterFinal: 'OOB-C-STOP-ON-OTHER-ERROR',
    verdicts: ['spacing'],
  },
  {
    name: 'prompt',
    title: 'SMS code typed by the user',
    description: 'binding_method prompt, no interval: the client does not poll and sends the code once, ' +
      'exactly as typed (with its spaces).',
    client: 'public', loginHint: 'zoë+sms@example.test', channel: 'sms',
    start: { expiresIn: 60, bindingMethod: 'prompt' }, polls: [tokens], typedCode: ' 436 575 ',
    expect: 'tokens', outcome: ['OOB-C-PROMPT-SENDS-CODE'], afterFinal: noReuse, verdicts: ['prompt'],
  },
  {
    name: 'prompt-leading-zero',
    title: 'A typed code with a leading zero',
    description: 'The user types 012345: the client sends it as text, not as the number 12345.',
    client: 'public', loginHint: 'zoë+sms@example.test', channel: 'sms',
    start: { expiresIn: 60, bindingMethod: 'prompt' }, polls: [tokens], typedCode: '012345',
    expect: 'tokens', outcome: ['OOB-C-PROMPT-SENDS-CODE'], afterFinal: noReuse, verdicts: ['prompt'],
  },
  {
    name: 'number-challenge',
    title: 'Push with a number challenge',
    description: `binding_method transfer with binding_code ${NUMBER_CHALLENGE}: the client shows the ` +
      'number and polls without sending it.',
    client: 'public', loginHint: 'zoë+number@example.test', channel: 'push',
    start: { ...pushStart, bindingMethod: 'transfer', bindingCode: NUMBER_CHALLENGE },
    polls: [pending, pending, tokens],
    expect: 'tokens', outcome: ['OOB-C-KEEP-POLLING'], afterFinal: noReuse, verdicts: ['spacing', 'transfer'],
  },
  {
    name: 'number-challenge-without-code',
    title: 'A number challenge without the number',
    description: 'binding_method transfer but no binding_code: the client fails without polling.',
    client: 'public', loginHint: 'zoë+number@example.test', channel: 'push',
    start: { ...pushStart, bindingMethod: 'transfer' }, polls: [pending, tokens],
    expect: 'failure', outcome: ['OOB-C-TRANSFER-MISSING-CODE'], verdicts: ['no-token-request'],
  },
  {
    name: 'rate-limited',
    title: '429 with Retry-After',
    description: 'The second poll gets 429 asking for 4 s; the client waits that long and carries on.',
    client: 'public', ...push, start: pushStart,
    polls: [pending, { kind: 'rate-limited', seconds: 4, shape: 'oauth' }, pending, tokens],
    expect: 'tokens', outcome: ['OOB-C-BACKOFF-ON-429'], afterFinal: noReuse,
    verdicts: ['spacing', 'rate-limit-backoff'],
  },
  pushToTokens({
    name: 'retry-after-date',
    title: '429 with Retry-After as an HTTP date',
    description: 'The second poll gets 429 whose Retry-After is a date 4 s ahead (RFC 9110 §10.2.3 allows ' +
      'either form); the client waits until then and carries on.',
    polls: [pending, { kind: 'rate-limited', seconds: 4, shape: 'oauth', retryAfter: 'date' }, pending,
      tokens],
    outcome: ['OOB-C-BACKOFF-ON-429'], verdicts: ['spacing', 'rate-limit-backoff'],
  }),
  pushToTokens({
    name: 'rate-limit-reset',
    title: 'Okta’s 429 with a long X-Rate-Limit-Reset',
    description: 'The second poll gets Okta’s 429 E0000047 whose X-Rate-Limit-Reset is 6 s ahead and no ' +
      'Retry-After; the client waits until the reset, longer than its own back-off would.',
    profiles: ['okta'],
    polls: [pending, { kind: 'rate-limited', seconds: 6, shape: 'okta' }, pending, tokens],
    outcome: ['OOB-C-BACKOFF-ON-429'], verdicts: ['spacing', 'rate-limit-backoff'],
  }),
  pushToTokens({
    name: 'server-unavailable',
    title: '503, then a connection reset',
    description: 'The client backs off after each failure, longer after the second, then polls as before. ' +
      'A client that fails closed is not judged on back-off (it never retried); that it gave up on a ' +
      'transient failure is the robustness warning of OOB-C-KEEP-POLLING.',
    polls: [pending, serverError, { kind: 'reset' }, pending, tokens],
    outcome: ['OOB-C-KEEP-POLLING'], verdicts: ['spacing', 'failure-backoff'],
  }),
  pushToTokens({
    name: 'server-errors-repeated',
    title: 'Three 503 in a row',
    description: 'Three failures in a row give two back-offs to compare with the one before: each grows ' +
      '(doubling: 2, 4, 8 s), where a linear back-off would pass one comparison and fail the next.',
    polls: [pending, serverError, serverError, serverError, pending, tokens],
    outcome: ['OOB-C-KEEP-POLLING'], verdicts: ['spacing', 'failure-backoff'],
  }),
  pushToTokens({
    name: 'slow-response',
    title: 'A poll answered after 31 s',
    description: 'The first poll is answered authorization_pending 31 s after it arrived: the client waits ' +
      'for it (at least the 30 s of OOB-C-TOLERATE-SLOW-RESPONSE) instead of giving up, then polls on.',
    polls: [{ kind: 'slow', seconds: 31, answer: pending }, tokens],
    outcome: ['OOB-C-KEEP-POLLING'], verdicts: ['spacing', 'slow-response'],
  }),
  pushToTokens({
    name: 'pending-with-403',
    title: 'authorization_pending with status 403',
    description: 'The second poll gets authorization_pending with HTTP 403 instead of 400: the client ' +
      'decides on the error code, not the status, and keeps polling.',
    polls: [pending, { kind: 'error', status: 403, error: 'authorization_pending', description: PENDING },
      tokens],
    outcome: ['OOB-C-DECIDE-ON-ERROR-CODE'], verdicts: ['spacing'],
  }),
  {
    name: 'unknown-members',
    title: 'Unknown members in every response',
    description: 'The start response, the pending error and the token response carry members the client ' +
      'does not know (device_secret, issued_token_type, …); it ignores them and uses the token.',
    client: 'public', ...push, start: pushStart, polls: [pending, tokens], extraMembers: true,
    expect: 'tokens', outcome: ['OOB-C-IGNORE-UNKNOWN-TOKEN-FIELDS'], outcomeEvidence: 'token-use',
    afterFinal: noReuse,
    verdicts: ['spacing', 'polls-after-start'],
  },
  {
    name: 'okta-error-shape',
    title: 'Okta’s errorCode error shape',
    description: 'A 429 E0000047 with X-Rate-Limit-Reset, then a 500 E0000009, both in the {errorCode, ' +
      'errorSummary} shape; the client recovers and gets tokens.',
    client: 'public', ...push, start: pushStart, profiles: ['okta'],
    polls: [pending, { kind: 'rate-limited', seconds: 2, shape: 'okta' },
      { kind: 'server-error', status: 500, shape: 'okta' }, tokens],
    expect: 'tokens', outcome: ['OOB-C-OKTA-ERROR-SHAPE'], outcomeEvidence: 'recovers-or-reports',
    afterFinal: noReuse, verdicts: ['spacing'],
  },
  {
    name: 'unknown-token-type',
    title: 'A token_type the client does not understand',
    description: 'token_type "foo": the client must not use the token (present it at userinfo, print it). ' +
      'Refusing it with a non-zero exit passes; exiting 0 without touching the token is not judged.',
    client: 'public', ...push, start: pushStart, polls: [{ kind: 'tokens', tokenType: 'foo' }],
    expect: 'failure', outcome: ['OOB-C-UNKNOWN-TOKEN-TYPE'], outcomeEvidence: 'token-use', verdicts: [],
  },
  {
    name: 'lowercase-token-type',
    title: 'token_type in lower case',
    description: 'token_type "bearer": case-insensitive (RFC 6749 §5.1), so the client uses the token ' +
      '(presents it at userinfo or prints it).',
    client: 'public', ...push, start: pushStart, polls: [{ kind: 'tokens', tokenType: 'bearer' }],
    expect: 'tokens', outcome: ['OOB-C-TOKEN-TYPE-CASE'], outcomeEvidence: 'token-use', afterFinal: noReuse,
    verdicts: [],
  },
]

export function scenariosFor(profile: Profile): Scenario[] {
  return SCENARIOS.filter((s) => s.profiles === undefined || s.profiles.includes(profile))
}
