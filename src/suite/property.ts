/**
 * Property checks: fast-check driven from the run's `--seed` and `--num-runs`, with what a report needs when
 * a property fails — the seed and path, the shrunk counterexample, the requests of its run as curl — and the
 * request rate when it passes.
 * @module
 */
import fc from 'fast-check'
import { loadContract, type OperationId } from '../contract/index.js'
import { HttpClient, type HttpResponse } from '../http/client.js'
import type { Profile } from '../profile.js'
import type { Exchange } from '../results/model.js'
import { reproduction } from '../runner/assemble.js'
import type { CheckContext } from './check.js'
import { UserDriver } from './control.js'
import { fail } from './failure.js'
import { describeResponse, hasTokens, OobClient } from './oob.js'

export interface PropertyOptions<T> {
  /** Default: the run's `--num-runs`. */
  numRuns?: number
  /**
   * Independent fast-check runners side by side (seeds `--seed`, `--seed`+1, …), the runs shared out among
   * them: for properties whose runs mostly wait on the server's clock. Default 1.
   */
  lanes?: number
  /** Generation and shrinking stop after this long; a failure found by then is still reported. Default 20. */
  timeLimitSeconds?: number
  /** The counterexample as the report shows it; default `fc.stringify`. */
  describe?: (value: T) => string
}

/** What one run of a property talks through: the check's clients, also recording the run's own exchanges. */
export interface PropertyRun {
  http: HttpClient
  oob: OobClient
  user: UserDriver
}

/**
 * Asserts `predicate` for values of `arbitrary`. On failure the check fails with the predicate's message and
 * the shrunk counterexample, and the report's reproduction gets the seed, the path and that run's requests;
 * on success the note gives the request rate.
 */
export async function checkProperty<T>(c: CheckContext, arbitrary: fc.Arbitrary<T>,
  predicate: (value: T, run: PropertyRun) => Promise<void>, options: PropertyOptions<T> = {}): Promise<void> {
  const lanes = options.lanes ?? 1
  const numRuns = options.numRuns ?? c.target.numRuns
  const timeLimitSeconds = options.timeLimitSeconds ?? 20
  let requests = 0
  const lane = async (index: number) => {
    let failingRun: Exchange[] = []
    const property = fc.asyncProperty<[T]>(arbitrary, async (value) => {
      const exchanges: Exchange[] = []
      const http = new HttpClient({
        ...c.http.options,
        onExchange: (exchange) => {
          c.http.options.onExchange?.(exchange)
          exchanges.push(exchange)
          requests++
        },
      })
      try {
        const user = new UserDriver(c.target, http, c.skip)
        await predicate(value, { http, oob: new OobClient(c.target, http), user })
      } catch (e) {
        // Shrinking ends on the last failing run, so this is the minimal counterexample's run.
        failingRun = exchanges
        throw e
      }
    })
    const details = await fc.check<[T]>(property, {
      seed: c.target.seed + index,
      numRuns: Math.ceil(numRuns / lanes),
      // Typed Plugin<unknown> by fast-check, though it is generic in what it decorates.
      plugins: [fc.interruptAfterTimeLimit(timeLimitSeconds * 1000) as fc.Plugin<[T]>],
    })
    return { details, failingRun }
  }
  const started = performance.now()
  const results = await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i)))
  const seconds = (performance.now() - started) / 1000
  const failed = results.find((r) => r.details.failed)
  if (failed) {
    const { details, failingRun } = failed
    const [value] = details.counterexample ?? []
    const shown = value === undefined ? '(none)' : (options.describe ?? fc.stringify)(value)
    const error = details.errorInstance
    const cause = error instanceof Error ? error.message : String(error)
    c.reproduce(`# fast-check seed ${details.seed}, path ${details.counterexamplePath} (the run replays ` +
      `with --seed ${c.target.seed}); shrunk ${details.numShrinks} times to: ${shown}`)
    c.reproduce(reproduction(failingRun))
    fail(`${cause.split('\n')[0]} — after ${details.numRuns} run(s), shrunk to ${shown}`)
  }
  const runs = results.reduce((sum, r) => sum + r.details.numRuns, 0)
  const interrupted = results.some((r) => r.details.interrupted)
  const cut = interrupted ? ` (stopped by the ${timeLimitSeconds} s limit)` : ''
  c.note(`${runs} runs${cut}, ${requests} requests in ${seconds.toFixed(1)} s: ` +
    `${Math.round(requests / seconds)} requests/s`)
}

/**
 * Fails unless `res` is what the spec allows `operation` to answer under `profile`: no tokens, a documented
 * status (never a 5xx), an `error` code listed for that status, headers and body valid against the schema.
 */
export function expectContractResponse(res: HttpResponse, operation: OperationId, profile: Profile,
  basicAuthUsed: boolean, situation: string): void {
  const contract = loadContract()
  if (hasTokens(res)) fail(`${situation}: got tokens`)
  if (!contract.documentedStatuses(operation, profile).includes(res.status)) {
    fail(`${situation}: status ${res.status} is not documented for ${operation} (${describeResponse(res)})`)
  }
  const error = (res.json as { error?: unknown } | undefined)?.error
  if (res.status >= 400 && res.status !== 429) {
    const allowed = contract.errorCodes(operation, res.status, profile)
    if (typeof error !== 'string' || !allowed.includes(error)) {
      fail(`${situation}: ${res.status} with error ${JSON.stringify(error)}, ` +
        `expected one of ${allowed.join(', ')}`)
    }
  }
  const problems = contract.validateResponse(operation,
    { status: res.status, headers: res.headers, body: res.json ?? res.text }, { profile, basicAuthUsed })
  if (problems.length > 0) {
    const details = problems.map((p) => p.message).join('; ')
    fail(`${situation}: the ${res.status} response departs from the spec: ${details}`)
  }
}
