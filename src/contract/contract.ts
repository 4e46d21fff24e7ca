/**
 * The contract: `spec/openapi.yaml` loaded once, each profile's view registered in one Ajv2020 instance, and
 * validators compiled on first use straight from JSON Pointers into the raw 3.1 document: no dereferencing,
 * no second copy of any schema. Everything here is derived from the spec; nothing restates it.
 * @module
 */

import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { OpenAPIV3_1 } from 'openapi-types'
import { OobConformanceError } from '../errors.js'
import { packageRoot } from '../package-root.js'
import { PROFILES } from '../profile.js'
import { fragment, locate, pointer } from './pointer.js'
import { toProblems } from './problems.js'
import { profileView } from './profiles.js'
import { readSpec } from './spec-file.js'
import type {
  Contract,
  ContractProblem,
  OperationId,
  Profile,
  RequestParameter,
  WireResponse,
} from './types.js'

const OPERATION_IDS: readonly OperationId[] = ['oobAuthenticate', 'primaryAuthenticate', 'token']
const FORM = 'application/x-www-form-urlencoded'

/**
 * The OpenAPI document root's keys, OpenAPI's own schema keywords and this spec's extensions, declared as
 * annotations so that strict mode accepts the raw document — and still rejects typos such as `type: strin`.
 */
const NON_JSON_SCHEMA_KEYWORDS = [
  'openapi', 'info', 'servers', 'paths', 'components', 'tags', 'security', 'webhooks', 'jsonSchemaDialect',
  'discriminator', 'example', 'xml', 'externalDocs', 'x-oob-profiles', 'x-oob-value-profiles',
]

interface HeaderCheck {
  name: string
  required: boolean
  /** Required when the client authenticated with this method (`x-oob-required-when`). */
  requiredWhen?: 'client_secret_basic'
  schema: string
}

interface ResponseCheck {
  /** Media type (lower case) → pointer to its schema. */
  content: Map<string, string>
  /** Keyed by lower-case header name. */
  headers: Map<string, HeaderCheck>
}

const schemaId = (profile: Profile) => `urn:oob-conformance:openapi:${profile}`

function specError(message: string, cause?: unknown): OobConformanceError {
  return new OobConformanceError('ERR_SPEC_INVALID', message, cause === undefined ? undefined : { cause })
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function findOperations(doc: Record<string, unknown>): Map<OperationId, { path: string; pointer: string }> {
  const found = new Map<OperationId, { path: string; pointer: string }>()
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [method, op] of Object.entries(item)) {
      const id = (op as { operationId?: unknown } | null)?.operationId
      if (!OPERATION_IDS.includes(id as OperationId)) continue
      if (method !== 'post') {
        throw specError(`operation ${String(id)} must be a POST, found ${method.toUpperCase()}`)
      }
      found.set(id as OperationId, { path, pointer: pointer('paths', path, method) })
    }
  }
  const missing = OPERATION_IDS.filter((id) => !found.has(id))
  if (missing.length > 0) throw specError(`the spec lacks the operation(s) ${missing.join(', ')}`)
  return found
}

/** The contract for an already parsed OpenAPI 3.1 document (`loadContract` reads `spec/openapi.yaml`). */
export function createContract(document: unknown): Contract {
  const version = (document as { openapi?: unknown } | null)?.openapi
  if (typeof version !== 'string' || !version.startsWith('3.1.')) {
    throw specError('the spec must be an OpenAPI 3.1 document')
  }
  const operations = findOperations(document as Record<string, unknown>)
  const views = new Map(PROFILES.map((p) => [p, profileView(document, p)]))
  const viewOf = (profile: Profile): unknown => views.get(profile)

  // strictRequired is the one strict check left off: a `required` inside if/then/else names a property that
  // the enclosing schema declares (JSON Schema 2020-12 applies those subschemas to the same instance), which
  // that check cannot see. `verbose` keeps the failing value and schema on each error for the messages.
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, verbose: true })
  addFormats.default(ajv)
  ajv.addVocabulary(NON_JSON_SCHEMA_KEYWORDS)
  for (const p of PROFILES) ajv.addSchema(viewOf(p) as object, schemaId(p))

  const validators = new Map<string, ValidateFunction>()
  const validator = (profile: Profile, ptr: string): ValidateFunction => {
    const key = schemaId(profile) + fragment(ptr)
    let validate = validators.get(key)
    if (validate === undefined) {
      try {
        validate = ajv.getSchema(key)
      } catch (cause) {
        throw specError(`the schema at ${ptr} does not compile: ${(cause as Error).message}`, cause)
      }
      if (validate === undefined) {
        throw new OobConformanceError('ERR_SPEC_NO_VALIDATOR', `no schema at ${ptr} (profile ${profile})`)
      }
      validators.set(key, validate)
    }
    return validate
  }

  const operationOf = (id: OperationId) => {
    const op = operations.get(id)
    if (op === undefined) {
      throw new OobConformanceError('ERR_SPEC_NO_VALIDATOR', `unknown operation ${String(id)}`)
    }
    return op
  }

  const statusesOf = (id: OperationId, profile: Profile): number[] => {
    const responses = locate(viewOf(profile), `${operationOf(id).pointer}/responses`)?.node ?? {}
    return Object.keys(responses).filter((s) => /^\d{3}$/.test(s)).map(Number)
  }

  const responseChecks = new Map<string, ResponseCheck | null>()
  const responseCheck = (id: OperationId, status: number, profile: Profile): ResponseCheck | null => {
    const key = `${profile} ${id} ${status}`
    let check = responseChecks.get(key)
    if (check === undefined) {
      check = buildResponseCheck(viewOf(profile), `${operationOf(id).pointer}${pointer('responses', status)}`)
      responseChecks.set(key, check)
    }
    return check
  }

  const requestSchema = (id: OperationId, profile: Profile): string => {
    const body = locate(viewOf(profile), `${operationOf(id).pointer}/requestBody`)
    const content = body?.node.content as Record<string, unknown> | undefined
    if (body === undefined || content?.[FORM] === undefined) {
      throw new OobConformanceError('ERR_SPEC_NO_VALIDATOR', `${id} documents no ${FORM} request body`)
    }
    return body.pointer + pointer('content', FORM, 'schema')
  }

  const errorCodeCache = new Map<string, string[]>()
  const errorCodes = (id: OperationId, status: number, profile: Profile = 'okta'): string[] => {
    const key = `${profile} ${id} ${status}`
    let codes = errorCodeCache.get(key)
    if (codes === undefined) {
      const check = responseCheck(id, status, profile)
      codes = check === null ? [] : [...new Set([...check.content.values()].flatMap((ptr) =>
        errorEnums(viewOf(profile), ptr)))]
      errorCodeCache.set(key, codes)
    }
    return [...codes]
  }

  const statusProblem = (id: OperationId, status: number, profile: Profile): ContractProblem => {
    const elsewhere = PROFILES.filter((p) => p !== profile && responseCheck(id, status, p) !== null)
    return {
      where: 'status',
      message: elsewhere.length > 0
        ? `status ${status} is documented for ${id} only under profile ${elsewhere.join(', ')}, ` +
          `not ${profile}`
        : `status ${status} is not documented for ${id} (documented: ${statusesOf(id, profile).join(', ')})`,
    }
  }

  /** When an `error` code is wrong for this profile but right for another, say so on the `/error` problem. */
  const withProfileHint = (
    problems: ContractProblem[],
    id: OperationId,
    res: WireResponse,
    profile: Profile,
  ): ContractProblem[] => {
    const code = (res.body as { error?: unknown } | null)?.error
    if (typeof code !== 'string' || errorCodes(id, res.status, profile).includes(code)) return problems
    const others = PROFILES.filter((p) => p !== profile && errorCodes(id, res.status, p).includes(code))
    if (others.length === 0) return problems
    return problems.map((p) => p.pointer === '/error'
      ? { ...p, message: `${p.message} — "${code}" is documented only under profile ${others.join(', ')}` }
      : p)
  }

  return {
    document: document as OpenAPIV3_1.Document,

    operation: (id) => ({ method: 'post', path: operationOf(id).path }),

    documentedStatuses: (id, profile) => [...new Set((profile ? [profile] : PROFILES).flatMap((p) =>
      statusesOf(id, p)))].sort((a, b) => a - b),

    validateResponse(id, res, opts = {}) {
      const profile = opts.profile ?? 'okta'
      const check = responseCheck(id, res.status, profile)
      if (check === null) return [statusProblem(id, res.status, profile)]
      const problems: ContractProblem[] = []
      const headers = new Map(Object.entries(res.headers).map(([name, value]) => [name.toLowerCase(), value]))

      const contentType = headers.get('content-type')
      let body = check.content.get(contentType?.split(';')[0]!.trim().toLowerCase() ?? '')
      if (body === undefined && check.content.size > 0) {
        const expected = [...check.content.keys()].join(' or ')
        problems.push({
          where: 'content-type',
          message: contentType === undefined
            ? `Content-Type is missing (expected ${expected})`
            : `Content-Type is ${contentType} (expected ${expected})`,
        })
        body = check.content.values().next().value
      }

      for (const [key, header] of check.headers) {
        const value = headers.get(key)
        if (value === undefined) {
          if (header.required) {
            problems.push({ where: 'header', message: `header ${header.name} is required but missing` })
          } else if (header.requiredWhen === 'client_secret_basic' && opts.basicAuthUsed) {
            problems.push({
              where: 'header',
              message: `header ${header.name} is missing; it is required after client_secret_basic ` +
                'authentication',
            })
          }
          continue
        }
        const validate = validator(profile, header.schema)
        if (!validate(value)) {
          problems.push(...toProblems(validate.errors ?? [], 'header', `header ${header.name}`, true))
        }
      }

      if (body !== undefined) {
        const validate = validator(profile, body)
        if (!validate(res.body)) {
          const found = toProblems(validate.errors ?? [], 'body', 'body', false)
          problems.push(...withProfileHint(found, id, res, profile))
        }
      }
      return problems
    },

    validateRequest(id, form, opts = {}) {
      const validate = validator(opts.profile ?? 'okta', requestSchema(id, opts.profile ?? 'okta'))
      // RFC 6749 §3.2: "Parameters sent without a value MUST be treated as if they were omitted from the
      // request."
      const sent = Object.fromEntries(Object.entries(form).filter(([, value]) => value !== ''))
      return validate(sent) ? [] : toProblems(validate.errors ?? [], 'body', 'body', false)
    },

    errorCodes,

    requestParameters(id, profile = 'okta') {
      const view = viewOf(profile)
      const schema = locate(view, requestSchema(id, profile))!
      const required = new Set([
        ...strings(schema.node.required),
        ...((schema.node.allOf ?? []) as unknown[]).flatMap((_, i) =>
          strings(locate(view, `${schema.pointer}/allOf/${i}`)?.node.required)),
      ])
      return Object.keys((schema.node.properties ?? {}) as object).map((name): RequestParameter => {
        const property = locate(view, `${schema.pointer}${pointer('properties', name)}`)?.node ?? {}
        const parameter: RequestParameter = { name, required: required.has(name) }
        if (Array.isArray(property.enum)) parameter.enum = strings(property.enum)
        if (typeof property.const === 'string') parameter.const = property.const
        return parameter
      })
    },
  }
}

function buildResponseCheck(view: unknown, responsePointer: string): ResponseCheck | null {
  const response = locate(view, responsePointer)
  if (response === undefined) return null
  const content = new Map(Object.keys((response.node.content ?? {}) as object).map((mediaType) =>
    [mediaType.toLowerCase(), response.pointer + pointer('content', mediaType, 'schema')]))
  const headers = new Map<string, HeaderCheck>()
  for (const name of Object.keys((response.node.headers ?? {}) as object)) {
    const header = locate(view, response.pointer + pointer('headers', name))!
    const requiredWhen = header.node['x-oob-required-when']
    if (requiredWhen !== undefined && requiredWhen !== 'client_secret_basic') {
      throw specError(`x-oob-required-when at ${header.pointer} must be client_secret_basic`)
    }
    headers.set(name.toLowerCase(), {
      name,
      required: header.node.required === true,
      ...(requiredWhen && { requiredWhen }),
      schema: `${header.pointer}/schema`,
    })
  }
  return { content, headers }
}

/** The `enum` values of `properties.error` anywhere in the schema at `ptr`, its `$ref`s and combinators. */
function errorEnums(view: unknown, ptr: string): string[] {
  const schema = locate(view, ptr)
  if (schema === undefined) return []
  const codes = strings(locate(view, `${schema.pointer}/properties/error`)?.node.enum)
  for (const combinator of ['allOf', 'anyOf', 'oneOf']) {
    const branches = schema.node[combinator]
    if (!Array.isArray(branches)) continue
    branches.forEach((_, i) => codes.push(...errorEnums(view, `${schema.pointer}/${combinator}/${i}`)))
  }
  return codes
}

let loaded: Contract | undefined

/**
 * The contract of `spec/openapi.yaml`, loaded on first call and shared afterwards. The YAML stays in
 * `spec/` (it is not copied into `dist/`), so it is found from the package root, for sources and build alike.
 */
export function loadContract(): Contract {
  loaded ??= createContract(readSpec(join(packageRoot, 'spec', 'openapi.yaml')))
  return loaded
}
