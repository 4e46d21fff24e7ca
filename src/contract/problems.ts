/**
 * Ajv's errors reworded as one-line problems: where, which JSON Pointer, what the spec wanted, in plain
 * words.
 * Values are echoed only where they cannot be secrets (error codes, constants, numbers, header values); a
 * string that fails a pattern may be a token, so only its expected form is named.
 * @module
 */

import type { ErrorObject } from 'ajv'
import { pointer } from './pointer.js'
import type { ContractProblem } from './types.js'

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return Number.isInteger(value) ? 'integer' : typeof value
}

function show(value: unknown): string {
  const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? JSON.stringify(value)
    : jsonType(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`
}

/** What went wrong, without the location; undefined for errors that only restate a nested one. */
function explain(e: ErrorObject, echo: boolean): string | undefined {
  const p = e.params as Record<string, unknown>
  const got = echo ? ` (got ${show(e.data)})` : ''
  switch (e.keyword) {
    case 'if':
      return undefined
    case 'required':
      return 'is required but missing'
    case 'false schema':
      return 'must be absent'
    case 'type':
      return `must be ${String(p.type).split(',').map(article).join(' or ')} (got ${jsonType(e.data)})`
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map(show).join(', ')}${got}`
    case 'const':
      return `must be ${show(p.allowedValue)}${got}`
    case 'pattern':
      return `must be ${titleOf(e.parentSchema) ?? `a string matching /${String(p.pattern)}/`}${got}`
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(p.comparison)} ${String(p.limit)} (got ${show(e.data)})`
    case 'format':
      return `must be a valid ${String(p.format)}`
    case 'anyOf':
    case 'oneOf':
      return 'matches none of the allowed shapes (see the problems above)'
    default:
      return e.message ?? `fails ${e.keyword}`
  }
}

/**
 * The rule an error breaks when it comes from the `then`/`else` of a titled `if`: for an error at schema path
 * `…/allOf/1/then/required`, the title of the schema holding `…/allOf/1/if`.
 */
function conditionOf(e: ErrorObject, errors: readonly ErrorObject[]): string | undefined {
  const at = /^(.*\/)(?:then|else)\//.exec(e.schemaPath)?.[1]
  if (at === undefined) return undefined
  const condition = errors.find((c) => c.keyword === 'if' && c.schemaPath === `${at}if` &&
    e.instancePath.startsWith(c.instancePath))
  return titleOf(condition?.parentSchema)
}

function titleOf(schema: unknown): string | undefined {
  const title = (schema as { title?: unknown } | undefined)?.title
  return typeof title === 'string' ? title : undefined
}

/**
 * Problems for a body (`label` 'body') or a header value (`label` e.g. 'header Cache-Control').
 * `echo` says whether a failing string may be quoted for pattern failures.
 */
export function toProblems(
  errors: readonly ErrorObject[],
  where: 'body' | 'header',
  label: string,
  echo: boolean,
): ContractProblem[] {
  const problems: ContractProblem[] = []
  const seen = new Set<string>()
  for (const e of errors) {
    const text = explain(e, echo || e.keyword === 'enum' || e.keyword === 'const')
    if (text === undefined) continue
    const at = e.keyword === 'required'
      ? `${e.instancePath}${pointer((e.params as { missingProperty: string }).missingProperty)}`
      : e.instancePath
    // A titled schema that only adds `required` (e.g. a profile's extra requirement) names the rule itself.
    const rule = conditionOf(e, errors) ?? (e.keyword === 'required' ? titleOf(e.parentSchema) : undefined)
    const message = `${label}${at ? ` ${at}` : ''}: ${text}${rule ? ` (${rule})` : ''}`
    if (seen.has(message)) continue
    seen.add(message)
    problems.push(where === 'body' && at ? { where, message, pointer: at } : { where, message })
  }
  return problems
}
