/**
 * The provider states of the OOB pacts, named after the standard test accounts and the test-control
 * operations (DESIGN.md). Setting one up goes through the target's public initiation endpoint and its driver
 * (control API, interactive, module), never through a server's internals, so one pact verifies against any
 * server. A state that starts a transaction returns its `oob_code`, and the state that learns the OTP returns
 * it, for the pact's `fromProviderState` expressions.
 * @module
 */
import { standardAccounts } from '../config/accounts.js'
import type { TargetConfig } from '../config/target.js'
import type { Driver } from '../drivers/driver.js'
import { OobClient, type Transaction, type UserKind } from '../engine/oob.js'
import { skip } from '../engine/steps.js'
import { UserDriver } from '../engine/user.js'
import { OobConformanceError } from '../errors.js'
import { HttpClient } from '../http/client.js'
import type { Channel } from '../protocol/index.js'
import type { Exchange } from '../results/model.js'

/** What setting up states needs: a check's context satisfies it. */
export interface ProviderContext {
  target: TargetConfig
  /** The recording client every request goes through. */
  http: HttpClient
  oob: OobClient
  user: UserDriver
  /** Ends `tx` now through the driver, or waits for its `expires_in`. */
  expire(tx: Transaction): Promise<void>
}

/**
 * A context outside a check (`verify-pact`): every exchange goes to `onExchange`, the user's part is played by
 * `driver`, and an expiry the driver cannot cause is skipped rather than waited for.
 */
export function createProviderContext(target: TargetConfig, driver: Driver | undefined, id: string,
  onExchange: (exchange: Exchange) => void): ProviderContext {
  const { requestTimeoutMs: timeoutMs, maxResponseBytes } = target
  const http = new HttpClient({ timeoutMs, maxResponseBytes, onExchange })
  const user = new UserDriver(driver, { check: id, signal: new AbortController().signal, http })
  return {
    target, http, user, oob: new OobClient(target, http),
    async expire(tx) {
      if (!(await user.expire(tx))) skip('needs the transaction expired now, which the driver cannot do')
    },
  }
}

export const STATES = {
  accounts: 'the standard test accounts are provisioned',
  approved: 'the transaction was approved',
  denied: 'the transaction was denied',
  expired: 'the transaction has expired',
  codeKnown: 'the code sent to the user is known',
} as const

/** `a pending push transaction for push@example.test`, started by the public client `oob-public-client`. */
export function pendingTransaction(channel: Channel, loginHint: string): string {
  return `a pending ${channel} transaction for ${loginHint}`
}

const PENDING = /^a pending (push|sms|voice|email) transaction for (\S+)$/

/** For error messages: every state name, with the pattern of the parameterised one. */
const STATE_NAMES: readonly string[] = [
  STATES.accounts, 'a pending {push|sms|voice|email} transaction for {login_hint}', STATES.approved,
  STATES.denied, STATES.expired, STATES.codeKnown,
]

/** The delivered code with its last character changed: as long as the real one, and certainly wrong. */
export function wrongCode(code: string): string {
  const last = code.at(-1) ?? ''
  // A letter becomes a digit rather than another letter: a case-folding server would accept `A` for `a`.
  const other = /[0-9]/.test(last) ? String((Number(last) + 1) % 10) : '0'
  return code.slice(0, -1) + other
}

function invalidPact(message: string): OobConformanceError {
  return new OobConformanceError('ERR_PACT_INVALID', message)
}

/**
 * The states of one interaction, set up in the order the pact lists them. Later states act on the
 * transaction the pending-transaction state started.
 */
export class ProviderStates {
  private tx: Transaction | undefined
  private readonly standardUsers = standardAccounts().users

  constructor(private readonly ctx: ProviderContext) {}

  /** Brings the target into state `name`; resolves with the values the pact may inject. */
  async setup(name: string): Promise<Record<string, string>> {
    const pending = PENDING.exec(name)
    if (pending) return this.start(name, pending[1] as Channel, pending[2]!)
    switch (name) {
      case STATES.accounts:
        // The accounts are the server's configuration, named by the run's config file (or the standard ones).
        return {}
      case STATES.approved:
        await this.ctx.user.approve(this.current(name))
        return {}
      case STATES.denied:
        await this.ctx.user.deny(this.current(name))
        return {}
      case STATES.expired:
        await this.ctx.expire(this.current(name))
        return {}
      case STATES.codeKnown: {
        const otp = await this.ctx.user.otp(this.current(name))
        return { otp, wrong_otp: wrongCode(otp) }
      }
    }
    throw invalidPact(`unknown provider state "${name}"; the states this tool sets up: ${STATE_NAMES.join('; ')}`)
  }

  private async start(name: string, channel: Channel, loginHint: string): Promise<Record<string, string>> {
    const users = this.standardUsers
    const kind = (Object.keys(users) as UserKind[]).find((k) => users[k] === loginHint)
    if (kind === undefined) {
      throw invalidPact(`provider state "${name}": ${loginHint} is not a standard test account ` +
        `(${Object.values(users).join(', ')})`)
    }
    const tx = await this.ctx.oob.start(kind, { channel })
    this.tx = tx
    return { oob_code: tx.oobCode, ...(tx.bindingCode !== undefined && { binding_code: tx.bindingCode }) }
  }

  private current(name: string): Transaction {
    if (this.tx === undefined) {
      throw invalidPact(`provider state "${name}" acts on a transaction: list ` +
        `"${pendingTransaction('push', 'push@example.test')}" (or another pending transaction) before it`)
    }
    return this.tx
  }
}
