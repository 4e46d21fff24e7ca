/**
 * The `schema` suite: every response any check received from the endpoints under test is validated against
 * `spec/openapi.yaml`. Rather than send requests of its own, it grades the exchanges of the whole run, so a
 * response shape is checked in every situation the other suites provoke. One check per requirement it can fail.
 * @module
 */
import { loadContract, type ContractProblem, type OperationId } from '../contract/index.js'
import type { Profile } from '../profile.js'
import { redactExchange, type Redactor } from '../redact/index.js'
import type { CheckResult, Exchange, Level } from '../results/model.js'
import { reproduction, strongestLevel } from './assemble.js'
import type { RawCheck } from './vitest-run.js'

const OPERATIONS: readonly string[] = ['oobAuthenticate', 'primaryAuthenticate', 'token']

interface Finding {
  exchange: Exchange
  operation: OperationId
  problem: ContractProblem
}

interface SchemaRule {
  id: string
  title: string
  requirement: string
  /** Which exchanges the rule grades (for the "N responses" count and for skipping when there were none). */
  applies(operation: OperationId, status: number): boolean
  owns(problem: ContractProblem, operation: OperationId, status: number): boolean
}

const initiation = (op: OperationId) => op !== 'token'
const header = (problem: ContractProblem, name: string) =>
  problem.where === 'header' && problem.message.toLowerCase().includes(name)

export const SCHEMA_RULES: readonly SchemaRule[] = [
  {
    id: 'schema/status-documented',
    title: 'every response status is one the spec documents for its endpoint',
    requirement: 'OOB-S-DOCUMENTED-STATUS',
    applies: () => true,
    owns: (p) => p.where === 'status',
  },
  {
    id: 'schema/initiation-success',
    title: 'initiation 200 responses match OobAuthenticateResponse',
    requirement: 'OOB-S-INIT-RESPONSE-FIELDS',
    applies: (op, status) => initiation(op) && status === 200,
    owns: (p, op, status) => initiation(op) && status === 200 && (p.where === 'body' || p.where === 'content-type'),
  },
  {
    id: 'schema/token-success',
    title: 'token 200 responses match TokenResponse',
    requirement: 'OOB-S-TOKEN-RESPONSE',
    applies: (op, status) => op === 'token' && status === 200,
    owns: (p, op, status) => op === 'token' && status === 200 && (p.where === 'body' || p.where === 'content-type'),
  },
  {
    id: 'schema/token-cache-control',
    title: 'token 200 responses carry Cache-Control: no-store',
    requirement: 'OOB-S-TOKEN-NO-STORE',
    applies: (op, status) => op === 'token' && status === 200,
    owns: (p, op, status) => op === 'token' && status === 200 && header(p, 'cache-control'),
  },
  {
    id: 'schema/token-pragma',
    title: 'token 200 responses carry Pragma: no-cache',
    requirement: 'OOB-S-TOKEN-PRAGMA-NO-CACHE',
    applies: (op, status) => op === 'token' && status === 200,
    owns: (p, op, status) => op === 'token' && status === 200 && header(p, 'pragma'),
  },
  {
    id: 'schema/error-body',
    title: 'error responses are JSON objects with an error code the spec allows',
    requirement: 'OOB-S-ERROR-JSON',
    applies: (_op, status) => status >= 400 && status < 500,
    owns: (p, _op, status) => status >= 400 && status < 500 && (p.where === 'content-type' ||
      (p.where === 'body' && !isCharsetProblem(p))),
  },
  {
    id: 'schema/error-charset',
    title: 'error and error_description use the RFC 6749 §5.2 character set',
    requirement: 'OOB-S-ERROR-CHARSET',
    applies: (_op, status) => status >= 400 && status < 500,
    owns: (p, _op, status) => status >= 400 && status < 500 && isCharsetProblem(p),
  },
  {
    id: 'schema/www-authenticate',
    title: '401 after Basic authentication carries WWW-Authenticate',
    requirement: 'OOB-S-WWW-AUTHENTICATE',
    applies: (_op, status) => status === 401,
    owns: (p, _op, status) => status === 401 && header(p, 'www-authenticate'),
  },
]

function isCharsetProblem(p: ContractProblem): boolean {
  return p.where === 'body' && /^\/(error|error_description)$/.test(p.pointer ?? '') && /pattern|character/i.test(p.message)
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

export interface SchemaCheckOptions {
  profile: Profile
  levelFor: (id: string) => Level | undefined
  redact: Redactor
}

/** Grades the raw exchanges (redaction could change a body's types); only reproductions are redacted. */
export function schemaChecks(checks: RawCheck[], options: SchemaCheckOptions): CheckResult[] {
  const started = performance.now()
  const contract = loadContract()
  const graded: { exchange: Exchange; operation: OperationId; status: number }[] = []
  const findings: Finding[] = []
  for (const check of checks) {
    for (const exchange of check.meta?.exchanges ?? []) {
      const response = exchange.response
      if (!response || !exchange.operation || !OPERATIONS.includes(exchange.operation)) continue
      // A 429 is never by itself a failure (DESIGN.md); the contract still documents its shape.
      const operation = exchange.operation as OperationId
      graded.push({ exchange, operation, status: response.status })
      const problems = contract.validateResponse(operation,
        { status: response.status, headers: response.headers, body: parseBody(response.body) },
        { profile: options.profile, basicAuthUsed: basicAuthUsed(exchange) })
      for (const problem of problems) findings.push({ exchange, operation, problem })
    }
  }
  const durationMs = Math.round(performance.now() - started)
  return SCHEMA_RULES.map((rule) => {
    const seen = graded.filter((g) => rule.applies(g.operation, g.status)).length
    const own = findings.filter((f) => rule.owns(f.problem, f.operation, f.exchange.response!.status))
    const base = {
      id: rule.id,
      title: rule.title,
      requirements: [rule.requirement],
      level: strongestLevel([rule.requirement], options.levelFor),
      durationMs,
    }
    if (seen === 0) {
      return { ...base, status: 'skipped' as const, message: 'no response of this kind was received in this run', reproduction: null }
    }
    if (own.length === 0) {
      return { ...base, status: 'passed' as const, message: `${seen} response(s) conform`, reproduction: null }
    }
    const offending = [...new Set(own.map((f) => f.exchange))].map((e) => redactExchange(e, options.redact))
    const distinct = [...new Set(own.map((f) => `${f.operation} ${f.exchange.response!.status}: ${f.problem.message}`))]
    const more = distinct.length > 3 ? ` (+${distinct.length - 3} more kinds)` : ''
    // One response may break a rule in several ways: count responses, not problems.
    const message = `${offending.length} of ${seen} response(s) depart from the spec: ` +
      `${distinct.slice(0, 3).join('; ')}${more}`
    return {
      ...base,
      status: 'failed' as const,
      message: options.redact(message),
      reproduction: reproduction(offending.slice(0, 1)),
      transcript: offending.slice(0, 20),
    }
  })
}
