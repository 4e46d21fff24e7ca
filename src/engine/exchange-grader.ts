/**
 * Exchange graders: checks that send nothing themselves and, after the live checks ended, validate every
 * response the run received from the endpoints under test against `spec/openapi.yaml` — so a response shape is
 * judged in every situation the other suites provoke. Each grader owns one requirement; each graded response
 * is a step of it. The schema suite (`suites/schema/`) registers them.
 * @module
 */
import { loadContract, type ContractProblem, type OperationId } from '../contract/index.js'
import type { Profile } from '../profile.js'
import type { Exchange } from '../http/exchange.js'
import type { CheckOutcome } from './outcome.js'

export interface ExchangeGrader {
  /** `schema/<case>`. */
  id: string
  title: string
  requirement: string
  /** Which responses the grader judges (for the "N responses" count and for skipping when there were none). */
  applies(operation: OperationId, status: number): boolean
  /** Whether a contract problem of such a response (`body`: its parsed JSON) breaks this grader's requirement. */
  owns(problem: ContractProblem, operation: OperationId, status: number, body: unknown): boolean
}

const graders: ExchangeGrader[] = []

export function gradeExchanges(grader: ExchangeGrader): void {
  if (graders.some((g) => g.id === grader.id)) throw new Error(`grader ${grader.id} is registered twice`)
  graders.push(grader)
}

export function registeredGraders(): readonly ExchangeGrader[] {
  return graders
}

const OPERATIONS: readonly string[] = ['oobAuthenticate', 'primaryAuthenticate', 'token']

interface Graded {
  exchange: Exchange
  /** The exchanges of the check that received it, up to and including it: what reproduces it. */
  leadingTo: Exchange[]
  operation: OperationId
  status: number
  body: unknown
  problems: ContractProblem[]
}

function basicAuthUsed(exchange: Exchange): boolean {
  return Object.entries(exchange.request.headers).some(([k, v]) => k.toLowerCase() === 'authorization' && /^basic /i.test(v))
}

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Grades the raw exchanges of `outcomes` (redaction could change a body's types); reports redact later. */
export function runExchangeGraders(list: readonly ExchangeGrader[], outcomes: readonly CheckOutcome[],
  profile: Profile): CheckOutcome[] {
  const started = performance.now()
  const contract = loadContract()
  const graded: Graded[] = []
  for (const outcome of outcomes) {
    for (const [index, exchange] of outcome.exchanges.entries()) {
      const response = exchange.response
      if (!response || !exchange.operation || !OPERATIONS.includes(exchange.operation)) continue
      const operation = exchange.operation as OperationId
      const body = parseBody(response.body)
      const problems = contract.validateResponse(operation,
        { status: response.status, headers: response.headers, body },
        { profile, basicAuthUsed: basicAuthUsed(exchange) })
      graded.push({ exchange, leadingTo: outcome.exchanges.slice(0, index + 1), operation, status: response.status, body, problems })
    }
  }
  const durationMs = Math.round(performance.now() - started)
  return list.map((grader): CheckOutcome => {
    const seen = graded.filter((g) => grader.applies(g.operation, g.status))
    const offending = seen
      .map((g) => ({ ...g, own: g.problems.filter((p) => grader.owns(p, g.operation, g.status, g.body)) }))
      .filter((g) => g.own.length > 0)
    const base = {
      id: grader.id, title: grader.title, suite: grader.id.split('/')[0]!, requirements: [grader.requirement],
      reproduction: [], durationMs,
    }
    const { requirement } = grader
    if (seen.length === 0) {
      const message = 'no response of this kind was received in this run'
      return { ...base, status: 'skipped', message, exchanges: [],
        steps: [{ requirement, status: 'skipped', message, passes: 0 }] }
    }
    const passes = seen.length - offending.length
    if (offending.length === 0) {
      const message = `${seen.length} response(s) conform`
      return { ...base, status: 'passed', message, exchanges: [],
        steps: [{ requirement, status: 'passed', message, passes }] }
    }
    const distinct = [...new Set(offending.flatMap((g) => g.own.map((p) => `${g.operation} ${g.status}: ${p.message}`)))]
    const more = distinct.length > 3 ? ` (+${distinct.length - 3} more kinds)` : ''
    // One response may break a rule in several ways: count responses, not problems.
    const message = `${offending.length} of ${seen.length} response(s) depart from the spec: ` +
      `${distinct.slice(0, 3).join('; ')}${more}`
    // Reproduced by the shortest way the run reached an offending response.
    const shortest = offending.reduce((a, b) => b.leadingTo.length < a.leadingTo.length ? b : a)
    return { ...base, status: 'failed', message, exchanges: offending.slice(0, 20).map((g) => g.exchange),
      reproducedBy: shortest.leadingTo, steps: [{ requirement, status: 'failed', message, passes }] }
  })
}

/** An initiation operation (either path). */
export const isInitiation = (operation: OperationId): boolean => operation !== 'token'

/** A problem with the response header `name` (lower case). */
export const isHeaderProblem = (problem: ContractProblem, name: string): boolean =>
  problem.where === 'header' && problem.message.toLowerCase().includes(name)

/** A character outside RFC 6749 §5.2's set in `error` or `error_description`. */
export function isCharsetProblem(p: ContractProblem): boolean {
  return p.where === 'body' && /^\/(error|error_description)$/.test(p.pointer ?? '') && /pattern|character/i.test(p.message)
}

/**
 * The requirement a problem with one of an initiation response's transaction fields breaks, when a more
 * specific one than `OOB-S-INIT-RESPONSE-FIELDS` owns it: `binding_method` and `interval` by channel,
 * `binding_code` by binding method. Undefined for every other problem.
 */
export function initiationFieldRequirement(problem: ContractProblem, body: unknown): string | undefined {
  if (problem.where !== 'body') return undefined
  const push = (body as { channel?: unknown } | undefined)?.channel === 'push'
  switch (problem.pointer) {
    case '/binding_method':
      return push ? 'OOB-S-PUSH-BINDING-METHOD' : 'OOB-S-PROMPT-BINDING-METHOD'
    case '/interval':
      return push ? 'OOB-S-INIT-PUSH-INTERVAL' : 'OOB-S-NO-INTERVAL-FOR-PROMPT'
    case '/binding_code':
      return 'OOB-S-BINDING-CODE-IFF-TRANSFER'
    default:
      return undefined
  }
}
