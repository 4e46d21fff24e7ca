import fc from 'fast-check'
import { setTimeout as sleep } from 'node:timers/promises'
import type { TargetConfig } from '../../src/config/target.js'
import type { HttpResponse } from '../../src/http/client.js'
import {
  check, checkProperty, describeResponse, expectationFor, expectNoTokens, expectTokens, fail, hasTokens, pass,
  meets, oauthError, type PropertyRun, type Transaction,
} from '../../src/engine/index.js'

/**
 * The life of one oob_code as a model (protocol.md §3). A sequence starts a transaction for a push, number
 * challenge or sms user, then runs up to 8 commands; each answer is judged by the catalogue's expectation for
 * the state the model is in. Expiry is orthogonal to the other states: the clock, or the driver, puts a code
 * there from any of them.
 */
type Phase = 'pending' | 'approved' | 'denied' | 'consumed' | 'locked'
type Command = fc.AsyncCommand<Model, Real>

interface Model {
  phase: Phase
  expired: boolean
  wrongCodes: number
  /** On-time polls left in this sequence; 0 once slow_down raised the interval beyond what we wait. */
  onTimePolls: number
}

interface Real {
  target: TargetConfig
  run: PropertyRun
  tx: Transaction
  otp?: string
  /** `performance.now()` when the previous poll's answer arrived; the server measured from earlier still. */
  lastPollAt?: number
}

/** After this many wrong codes a server may lock the code; before, the right one must still work. */
const LOCK_AFTER = 2
/** On-time polls per sequence: each waits out the interval, which bounds a sequence's real time. */
const ON_TIME_POLLS = 2

/** Passes the first of `requirementIds` that `res` meets; when it meets none, fails the first (the state's own). */
function expectAny(r: Real, res: HttpResponse, requirementIds: string[], situation: string): void {
  const expectations = requirementIds.map((id) => expectationFor(id, r.target.profile))
  const met = expectations.findIndex((e) => meets(res, e))
  if (met >= 0) return pass(requirementIds[met]!, situation)
  const expected = expectations.map((e) => e.text).join(' or ')
  fail(requirementIds[0]!, `${situation}: expected ${expected} (${r.target.profile}), got ${describeResponse(res)}`)
}

const isDead = (m: Model) => m.expired || ['denied', 'consumed', 'locked'].includes(m.phase)

function situation(command: string, m: Model): string {
  const state: string[] = [m.phase]
  if (m.expired) state.push('expired')
  if (m.wrongCodes > 0) state.push(`${m.wrongCodes} wrong codes`)
  return `${command} (oob_code ${state.join(', ')})`
}

/** A code that can no longer yield tokens: the error its state calls for (any error once locked). */
function expectDead(m: Model, r: Real, res: HttpResponse, what: string): void {
  const ids = [
    ...(m.expired ? ['OOB-S-OOB-CODE-EXPIRES'] : []),
    ...(m.phase === 'consumed' ? ['OOB-S-OOB-CODE-SINGLE-USE'] : []),
    ...(m.phase === 'denied' ? ['OOB-S-DENIAL-FINAL'] : []),
    ...(m.phase === 'locked' ? ['OOB-S-OTP-BRUTE-FORCE'] : []),
  ]
  expectNoTokens(ids[0]!, res, what)
  if (m.phase === 'locked') return
  // Whether expiry or the earlier end is reported first is the server's choice.
  expectAny(r, res, ids, what)
}

class Poll implements Command {
  constructor(readonly early: boolean) {}
  check = (m: Readonly<Model>) => this.early || m.onTimePolls > 0
  async run(m: Model, r: Real): Promise<void> {
    if (!this.early) {
      m.onTimePolls--
      // The first on-time poll also keeps the interval, counted from initiation like any poll.
      const since = (performance.now() - (r.lastPollAt ?? r.tx.receivedAt)) / 1000
      const left = (r.tx.interval ?? 5) - since
      if (left > 0) await sleep(left * 1000 + 50)
    }
    const what = situation(String(this), m)
    const res = await r.run.oob.redeem(r.tx)
    r.lastPollAt = performance.now()
    if (isDead(m)) return expectDead(m, r, res, what)
    const slowDown = res.status === 400 && oauthError(res) === 'slow_down'
    if (slowDown) m.onTimePolls = 0
    if (m.phase === 'pending') {
      // Under okta an early poll may get either; under rfc slow_down is expected, pending tolerated here.
      const ids = this.early ? ['OOB-S-POLL-PENDING', 'OOB-S-SLOW-DOWN-EARLY-POLL'] : ['OOB-S-POLL-PENDING']
      return expectAny(r, res, ids, what)
    }
    // Approved: tokens, unless an early poll was told to slow down first.
    if (this.early && slowDown) return
    expectTokens('OOB-S-TOKENS-AFTER-APPROVAL', res, what)
    m.phase = 'consumed'
  }
  toString = () => (this.early ? 'poll-early' : 'poll')
}

class UserAnswers implements Command {
  constructor(readonly approves: boolean) {}
  check = (m: Readonly<Model>) => m.phase === 'pending' && !m.expired
  async run(m: Model, r: Real): Promise<void> {
    await (this.approves ? r.run.user.approve(r.tx) : r.run.user.deny(r.tx))
    m.phase = this.approves ? 'approved' : 'denied'
  }
  toString = () => (this.approves ? 'approve' : 'deny')
}

class SendCode implements Command {
  constructor(readonly right: boolean) {}
  check = () => true
  async run(m: Model, r: Real): Promise<void> {
    const otp = r.otp ?? ''
    const what = situation(String(this), m)
    const res = await r.run.oob.redeem(r.tx, { binding_code: this.right ? otp : wrongCode(otp) })
    if (isDead(m)) return expectDead(m, r, res, what)
    const mayBeLocked = m.wrongCodes >= LOCK_AFTER
    if (!this.right) {
      m.wrongCodes++
      return mayBeLocked ? expectNoTokens('OOB-S-PROMPT-WRONG-CODE', res, what) : expectAny(r, res, ['OOB-S-PROMPT-WRONG-CODE'], what)
    }
    if (hasTokens(res)) {
      m.phase = 'consumed'
      return
    }
    if (!mayBeLocked) expectAny(r, res, ['OOB-S-PROMPT-CORRECT-CODE'], what)
    m.phase = 'locked'
  }
  toString = () => (this.right ? 'right-otp' : 'wrong-otp')
}

const wrongCode = (otp: string) => (otp === '000000' ? '000001' : '000000')

/** The request that obtained the tokens, once more. */
class Reuse implements Command {
  check = (m: Readonly<Model>) => m.phase === 'consumed'
  async run(m: Model, r: Real): Promise<void> {
    const res = await r.run.oob.redeem(r.tx, r.otp === undefined ? {} : { binding_code: r.otp })
    expectDead(m, r, res, situation(String(this), m))
  }
  toString = () => 'reuse'
}

class Expire implements Command {
  check = (m: Readonly<Model>) => !m.expired
  async run(m: Model, r: Real): Promise<void> {
    if (await r.run.user.expire(r.tx)) m.expired = true
  }
  toString = () => 'expire'
}

const USERS = ['push', 'number', 'sms'] as const
type User = (typeof USERS)[number]

check('properties/oob-code-state-machine', 'model-based: an oob_code\'s life, judged state by state',
  ['OOB-S-POLL-PENDING', 'OOB-S-TOKENS-AFTER-APPROVAL', 'OOB-S-DENIAL-FINAL', 'OOB-S-OOB-CODE-SINGLE-USE',
    'OOB-S-OOB-CODE-EXPIRES', 'OOB-S-PROMPT-WRONG-CODE', 'OOB-S-PROMPT-CORRECT-CODE'],
  async (c) => {
    for (const operation of ['approve', 'deny', 'otp'] as const) {
      if (!c.user.supports(operation)) c.skip(`the model plays the user, and the driver cannot ${operation}`)
    }
    // Each user's transaction gets the commands that apply to its binding method.
    const shared = [new Reuse(), ...(c.user.supports('expire') ? [new Expire()] : [])]
    const commandsOf = (user: User): Command[] => user === 'sms'
      ? [new SendCode(false), new SendCode(true), ...shared]
      : [new Poll(false), new Poll(true), new UserAnswers(true), new UserAnswers(false), ...shared]
    const sequences = fc.oneof(...USERS.map((user) => fc.tuple(fc.constant(user), fc.commands(
      commandsOf(user).map((command) => fc.constant(command)), { maxCommands: 10, size: 'max' }))))
    const setup = (user: User, run: PropertyRun) => async () => {
      const tx = await run.oob.start(user)
      const interval = tx.interval ?? 5
      const canWait = interval <= c.target.maxWaitSeconds && (ON_TIME_POLLS + 1) * interval < tx.expiresIn
      const onTimePolls = canWait ? ON_TIME_POLLS : 0
      const model: Model = { phase: 'pending', expired: false, wrongCodes: 0, onTimePolls }
      // By the user, not by the binding_method the server reported: that field is judged elsewhere.
      const otp = user === 'sms' ? await run.user.otp(tx) : undefined
      return { model, real: { target: c.target, run, tx, otp } }
    }
    const play = ([user, sequence]: [User, Iterable<Command>], run: PropertyRun) =>
      fc.asyncModelRun(setup(user, run), sequence)
    // Runs mostly wait for the interval, so ten runners side by side keep the check to a few seconds.
    await checkProperty(c, sequences, play, {
      numRuns: Math.min(c.target.numRuns, 30),
      lanes: 10,
      timeLimitSeconds: 45,
      describe: ([user, sequence]) => `start(${user}), ${String(sequence).replaceAll(',', ', ')}`,
    })
  }, { timeoutSeconds: 60 })
