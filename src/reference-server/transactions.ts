/**
 * The out-of-band transactions (protocol.md §3), keyed by `oob_code`.
 *
 * Memory stays bounded without timers: every transaction lives the same fixed time, so the Map's insertion
 * order is also its drop order and eviction only ever pops from the front — amortised O(1) per request.
 * An expired or consumed transaction is kept as a tombstone for one more lifetime so that a late request
 * still gets the expiry or reuse error instead of `invalid_grant` for an unknown code.
 * @module
 */

import type { BindingMethod, Channel } from '../protocol/index.js'

/** Expiry is not a state: it is `now >= expiresAt`, so the clock alone moves a transaction there. */
export type TransactionState = 'pending' | 'approved' | 'denied' | 'consumed' | 'locked'

export interface Transaction {
  readonly oobCode: string
  readonly clientId: string
  /** Which authorization server issued it; another one treats the code as unknown. */
  readonly server: string
  readonly loginHint: string
  /** An unknown user's transaction (protocol.md S11): same shape, but nobody can ever approve it. */
  readonly decoy: boolean
  readonly channel: Channel
  readonly bindingMethod: BindingMethod
  /** The number shown to the user for `transfer`. */
  readonly bindingCode?: string
  /** The code delivered for `prompt`. */
  readonly otp?: string
  readonly issuedAt: number
  /** ms since epoch; the control API's `expire` moves it to now. */
  expiresAt: number
  /** Current polling interval in seconds; `slow_down` raises it. */
  interval: number
  /** When the previous token request for this code arrived; unset until the first poll. */
  lastPollAt?: number
  state: TransactionState
  failedAttempts: number
}

export class TransactionStore {
  readonly #entries = new Map<string, Transaction>()
  readonly #now: () => number
  readonly #retentionMs: number

  /** `retentionMs`: how long after issue a transaction is dropped (lifetime plus tombstone time). */
  constructor(now: () => number, retentionMs: number) {
    this.#now = now
    this.#retentionMs = retentionMs
  }

  get size(): number {
    return this.#entries.size
  }

  add(transaction: Transaction): void {
    this.evict()
    // Re-inserting an existing key would keep its old position and break the drop order.
    this.#entries.delete(transaction.oobCode)
    this.#entries.set(transaction.oobCode, transaction)
  }

  get(oobCode: string): Transaction | undefined {
    this.evict()
    return this.#entries.get(oobCode)
  }

  evict(): void {
    const cutoff = this.#now() - this.#retentionMs
    for (const [oobCode, transaction] of this.#entries) {
      if (transaction.issuedAt > cutoff) return
      this.#entries.delete(oobCode)
    }
  }
}
