/**
 * Property checks: fast-check driven from the run's `--seed` and `--num-runs`, with what a report needs when
 * a property fails — the seed and path, the shrunk counterexample, the requests of its run as curl — and the
 * request rate when it passes.
 * @module
 */
import fc from 'fast-check'
import { loadContract, type ContractProblem, type OperationId } from '../contract/index.js'
import { HttpClient, type HttpResponse } from '../http/client.js'
import type { Profile } from '../profile.js'
import type { Exchange } from '../http/exchange.js'
import type { CheckContext } from './check.js'
import { initiationFieldRequirement, isCharsetProblem, isHeaderProblem } from './exchange-grader.js'
import { describeResponse, hasTokens, OobClient } from './oob.js'
import { CheckSkipped, fail, NotJudged, pass, RequirementFailure } from './steps.js'
import type { UserDriver } from './user.js'

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
        await predicate(value, { http, oob: new OobClient(c.target, http), user: c.user.through(http) })
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
    // Not a counterexample: the run could not go on (a skip, a driver, an unanswered request).
    if (error instanceof CheckSkipped || error instanceof NotJudged) throw error
    if (!(error instanceof RequirementFailure)) throw error
    const cause = error.message
    c.reproduce(`# fast-check seed ${details.seed}, path ${details.counterexamplePath} (the run replays ` +
      `with --seed ${c.target.seed}); shrunk ${details.numShrinks} times to: ${shown}`)
    c.reproduceWith(failingRun)
    fail(error.requirement, `${cause.split('\n')[0]} — after ${details.numRuns} run(s), shrunk to ${shown}`)
  }
  const runs = results.reduce((sum, r) => sum + r.details.numRuns, 0)
  const interrupted = results.some((r) => r.details.interrupted)
  const cut = interrupted ? ` (stopped by the ${timeLimitSeconds} s limit)` : ''
  c.note(`${runs} runs${cut}, ${requests} requests in ${seconds.toFixed(1)} s: ` +
    `${Math.round(requests / seconds)} requests/s`)
}

/**
 * Judges `res` as the spec allows `operation` to answer under `profile`, each way of departing blamed on its own
 * requirement: tokens (`OOB-S-NO-FOREIGN-TOKENS`), an undocumented status or a 5xx (`OOB-S-DOCUMENTED-STATUS`),
 * an error code not listed for the status (`OOB-S-ERROR-JSON`), then the schema's headers and body.
 */
export function expectContractResponse(res: HttpResponse, operation: OperationId, profile: Profile,
  basicAuthUsed: boolean, situation: string): void {
  const contract = loadContract()
  if (hasTokens(res)) fail('OOB-S-NO-FOREIGN-TOKENS', `${situation}: got tokens`)
  pass('OOB-S-NO-FOREIGN-TOKENS')
  // A 503 gets here only when the server kept answering it through every retry the run allows.
  if (res.status >= 500) fail('OOB-S-NO-SERVER-ERROR', `${situation}: ${describeResponse(res)}`)
  pass('OOB-S-NO-SERVER-ERROR')
  if (!contract.documentedStatuses(operation, profile).includes(res.status)) {
    fail('OOB-S-DOCUMENTED-STATUS', `${situation}: status ${res.status} is not documented for ${operation} (${describeResponse(res)})`)
  }
  pass('OOB-S-DOCUMENTED-STATUS')
  const error = (res.json as { error?: unknown } | undefined)?.error
  if (res.status >= 400 && res.status !== 429) {
    const allowed = contract.errorCodes(operation, res.status, profile)
    if (typeof error !== 'string' || !allowed.includes(error)) {
      fail('OOB-S-ERROR-JSON', `${situation}: ${res.status} with error ${JSON.stringify(error)}, ` +
        `expected one of ${allowed.join(', ')}`)
    }
    pass('OOB-S-ERROR-JSON')
  }
  const problems = contract.validateResponse(operation,
    { status: res.status, headers: res.headers, body: res.json ?? res.text }, { profile, basicAuthUsed })
  const [first] = problems
  if (first !== undefined) {
    const details = problems.map((p) => p.message).join('; ')
    fail(requirementOf(first, operation, res.status, res.json), `${situation}: the ${res.status} response departs from the spec: ${details}`)
  }
}

/** The requirement a contract problem of a response breaks (the schema suite's graders draw the same lines). */
function requirementOf(problem: ContractProblem, operation: OperationId, status: number, body: unknown): string {
  const initiation = operation !== 'token'
  const field = initiation && status === 200 ? initiationFieldRequirement(problem, body) : undefined
  if (field !== undefined) return field
  if (problem.where === 'status') return 'OOB-S-DOCUMENTED-STATUS'
  if (isHeaderProblem(problem, 'www-authenticate')) return 'OOB-S-WWW-AUTHENTICATE'
  if (isHeaderProblem(problem, 'cache-control')) return initiation ? 'OOB-S-INIT-NO-STORE' : 'OOB-S-TOKEN-NO-STORE'
  if (isHeaderProblem(problem, 'pragma')) return initiation ? 'OOB-S-INIT-PRAGMA-NO-CACHE' : 'OOB-S-TOKEN-PRAGMA-NO-CACHE'
  if (isHeaderProblem(problem, 'x-rate-limit')) return 'OOB-S-RATE-LIMIT-HEADERS'
  if (isHeaderProblem(problem, 'retry-after')) return 'OOB-S-RATE-LIMIT-429'
  if (isCharsetProblem(problem)) return 'OOB-S-ERROR-CHARSET'
  if (status === 200) return initiation ? 'OOB-S-INIT-RESPONSE-FIELDS' : 'OOB-S-TOKEN-RESPONSE'
  return 'OOB-S-ERROR-JSON'
}
