/**
 * A pact against the spec: `@pactflow/openapi-pact-comparator` (PactFlow's maintained successor of
 * swagger-mock-validator) compares every interaction with `spec/openapi.yaml` as the run's profile sees it.
 * An expectation the spec rules out — an undocumented field or status, a JSON body where the spec takes a
 * form — is one no conforming server could meet, whatever the server under test happens to do.
 * @module
 */
import { join } from 'node:path'
import * as comparatorModule from '@pactflow/openapi-pact-comparator'
import { profileView } from '../contract/profiles.js'
import { readSpec } from '../contract/spec-file.js'
import { packageRoot } from '../package-root.js'
import type { Profile } from '../profile.js'
import type { Pact } from './pact-file.js'

export const SPEC_FILE = 'spec/openapi.yaml'

export interface SpecFinding {
  /** The interaction it is about; absent for findings about the pact as a whole. */
  description?: string
  level: 'error' | 'warning'
  /** The comparator's code, e.g. `response.body.incompatible`. */
  code: string
  /** One line: what is wrong, where in the pact, where in the spec. */
  message: string
}

/** The comparator's result, as its README documents it. */
interface ComparatorResult {
  code: string
  message: string
  type: 'error' | 'warning'
  mockDetails?: { interactionDescription?: string | null; location: string }
  specDetails?: { location: string }
}

interface Comparator {
  compare(pact: Pact): AsyncGenerator<ComparatorResult>
}

// The package's type declarations use extensionless relative imports, which NodeNext resolution cannot
// follow; its runtime API is the documented `new Comparator(openapi).compare(pact)`.
const { Comparator } = comparatorModule as unknown as { Comparator: new (openapi: unknown) => Comparator }

const comparators = new Map<Profile, Comparator>()

const CONDITIONALS = ['if', 'then', 'else']

/**
 * The spec without its `if`/`then`/`else` rules. The comparator merges the members of an `allOf` into one
 * schema and deletes `required` throughout response schemas (its transforms flattenAllOf and
 * responseSchema), which turns this spec's cross-field rules (`binding_code` exactly for `transfer`, …) into
 * contradictions. Its view keeps fields, types, enums, statuses and media types; the verification against a
 * server judges the rest.
 */
export function withoutConditionals(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutConditionals)
  if (typeof node !== 'object' || node === null) return node
  const kept: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (CONDITIONALS.includes(key)) continue
    kept[key] = key === 'allOf' && Array.isArray(value)
      ? value.filter((member) => !isConditional(member)).map(withoutConditionals)
      : withoutConditionals(value)
  }
  if (Array.isArray(kept.allOf) && kept.allOf.length === 0) delete kept.allOf
  return kept
}

/** An `allOf` member that is only a rule: `if`/`then`/`else` plus annotations. */
function isConditional(member: unknown): boolean {
  if (typeof member !== 'object' || member === null) return false
  const keys = Object.keys(member)
  return keys.some((k) => CONDITIONALS.includes(k)) &&
    keys.every((k) => CONDITIONALS.includes(k) || k === 'title' || k === 'description' || k.startsWith('x-'))
}

function comparatorFor(profile: Profile): Comparator {
  let comparator = comparators.get(profile)
  if (comparator === undefined) {
    const spec = profileView(readSpec(join(packageRoot, SPEC_FILE)), profile)
    comparator = new Comparator(withoutConditionals(spec))
    comparators.set(profile, comparator)
  }
  return comparator
}

/** `[root].paths./oauth2/v1/token.post.responses` → `paths./oauth2/v1/token.post.responses`. */
const location = (where: string | undefined) => (where ?? '').replace(/^\[root\]\.?/, '')

export async function compareWithSpec(pact: Pact, profile: Profile): Promise<SpecFinding[]> {
  const findings: SpecFinding[] = []
  for await (const result of comparatorFor(profile).compare(pact)) {
    const pactAt = location(result.mockDetails?.location)
    const specAt = location(result.specDetails?.location)
    const where = [pactAt && `pact ${pactAt}`, specAt && `${SPEC_FILE} ${specAt}`].filter(Boolean).join('; ')
    const description = result.mockDetails?.interactionDescription
    findings.push({
      ...(description && { description }),
      level: result.type,
      code: result.code,
      message: `${result.message}${where && ` (${where})`}`,
    })
  }
  return findings
}
