/**
 * The requirements catalogue (`spec/requirements.yaml`): loaded once, validated against
 * `spec/requirements.schema.json`, and looked up by id with each profile's level override applied.
 * @module
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { parse } from 'yaml'
import { OobConformanceError } from '../errors.js'
import { packageRoot } from '../package-root.js'
import type { Profile } from '../profile.js'
import type { Level } from '../results/model.js'

export type Endpoint = 'initiation' | 'token' | 'control' | 'any'

/** What conforms under one profile. `status` and `error`, when present, are the values a check accepts. */
export interface ProfileExpectation {
  /** `false`: the requirement does not apply under this profile, and `expect` says why. */
  applies?: boolean
  /** Overrides the requirement's base level under this profile. */
  level?: Level
  expect: string
  status?: number[]
  error?: string[]
}

export interface Source {
  ref: string
  url?: string
  quote?: string
}

export interface Requirement {
  id: string
  /** Protocol items (`S19`, `C8`) it derives from; empty for requirements added from the standards. */
  ref: string[]
  level: Level
  title: string
  statement: string
  endpoints: Endpoint[]
  profiles: Record<Profile, ProfileExpectation>
  sources: Source[]
  tags?: string[]
}

/** A protocol item deliberately not covered, with the reason. */
export interface Exclusion {
  ref: string
  reason: string
}

export interface RequirementCatalogue {
  /** Every requirement, in catalogue order. */
  all: readonly Requirement[]
  excluded: readonly Exclusion[]
  get(id: string): Requirement | undefined
  /** The level under `profile`, override applied; `undefined` for an unknown id or one not applying there. */
  levelFor(id: string, profile: Profile): Level | undefined
  /** The requirements that apply under `profile`, in catalogue order. */
  forProfile(profile: Profile): Requirement[]
}

interface CatalogueFile {
  requirements: Requirement[]
  excluded: Exclusion[]
}

const defaultPath = join(packageRoot, 'spec', 'requirements.yaml')
const loaded = new Map<string, RequirementCatalogue>()
let validator: ValidateFunction<CatalogueFile> | undefined

/**
 * Loads and validates the catalogue, once per path (default: the package's `spec/requirements.yaml`).
 * Throws `OobConformanceError('ERR_SPEC_INVALID')` naming the offending entry when the file is unreadable,
 * is not YAML, breaks the schema or repeats an id.
 */
export function loadRequirements(path: string = defaultPath): RequirementCatalogue {
  const file = resolve(path)
  let catalogue = loaded.get(file)
  if (catalogue === undefined) {
    catalogue = buildCatalogue(readCatalogue(file))
    loaded.set(file, catalogue)
  }
  return catalogue
}

function readCatalogue(file: string): CatalogueFile {
  let data: unknown
  try {
    data = parse(readFileSync(file, 'utf8'))
  } catch (cause) {
    throw new OobConformanceError('ERR_SPEC_INVALID', `${file}: ${(cause as Error).message}`, { cause })
  }
  const validate = compileValidator()
  if (!validate(data)) {
    // An `if` failure only repeats the `then` failure reported next to it.
    const problems = (validate.errors ?? []).filter((e) => e.keyword !== 'if')
      .map((e) => describeError(e, data))
    throw new OobConformanceError('ERR_SPEC_INVALID',
      `${file} does not match spec/requirements.schema.json:\n  ${[...new Set(problems)].join('\n  ')}`)
  }
  const seen = new Set<string>()
  for (const [index, requirement] of data.requirements.entries()) {
    if (seen.has(requirement.id)) {
      throw new OobConformanceError('ERR_SPEC_INVALID',
        `${file}: requirements[${index}] repeats the id ${requirement.id}`)
    }
    seen.add(requirement.id)
  }
  return data
}

function compileValidator(): ValidateFunction<CatalogueFile> {
  if (validator === undefined) {
    const schema = JSON.parse(readFileSync(join(packageRoot, 'spec', 'requirements.schema.json'), 'utf8'))
    const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true })
    addFormats.default(ajv)
    validator = ajv.compile<CatalogueFile>(schema)
  }
  return validator
}

/** `requirements[12] (OOB-S-FOO) /profiles/okta/level: must be equal to one of the allowed values (…)` */
function describeError(error: ErrorObject, data: unknown): string {
  const [, list, index, ...rest] = error.instancePath.split('/')
  let where = error.instancePath || '(top level)'
  if ((list === 'requirements' || list === 'excluded') && index !== undefined) {
    const entry = (data as Record<string, Record<string, unknown>[] | undefined>)[list]?.[Number(index)]
    const name = list === 'requirements' ? entry?.id : entry?.ref
    where = `${list}[${index}]` + (typeof name === 'string' ? ` (${name})` : '') +
      (rest.length > 0 ? ` /${rest.join('/')}` : '')
  }
  const params = error.params as Record<string, unknown>
  // A failed `not` or `pattern` says little by itself; the schema's description says what was expected.
  const detail = params.additionalProperty ?? (Array.isArray(params.allowedValues)
    ? params.allowedValues.join(', ')
    : (error.parentSchema as { description?: string } | undefined)?.description)
  const message = error.keyword === 'false schema' ? 'is not allowed here' : error.message ?? error.keyword
  return `${where}: ${message}${detail === undefined ? '' : ` (${String(detail)})`}`
}

function buildCatalogue({ requirements, excluded }: CatalogueFile): RequirementCatalogue {
  const byId = new Map(requirements.map((r) => [r.id, r]))
  const applies = (r: Requirement, profile: Profile) => r.profiles[profile].applies !== false
  return {
    all: requirements,
    excluded,
    get: (id) => byId.get(id),
    levelFor(id, profile) {
      const r = byId.get(id)
      return r === undefined || !applies(r, profile) ? undefined : r.profiles[profile].level ?? r.level
    },
    forProfile: (profile) => requirements.filter((r) => applies(r, profile)),
  }
}
