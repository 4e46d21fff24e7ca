/**
 * Resolves the target from CLI flags, an optional `--config` file and the environment, in that order of precedence.
 * Every mistake becomes one `ERR_CONFIG_INVALID` error naming the option and what to do.
 * @module
 */
import { readFileSync } from 'node:fs'
import { randomInt } from 'node:crypto'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { parse as parseYaml } from 'yaml'
import { OobConformanceError } from '../errors.js'
import { isProfile } from '../profile.js'
import { standardAccounts } from './accounts.js'
import { endpointsFromIssuer } from './issuer.js'
import schema from './config-file.schema.json' with { type: 'json' }
import type { Accounts, TargetConfig } from './target.js'

export { endpointsFromIssuer }

/** The CLI's options for `check`, as commander hands them over (all optional, strings where the user typed them). */
export interface CheckOptions {
  baseUrl?: string
  issuer?: string
  profile?: string
  config?: string
  controlUrl?: string
  driver?: string
  initiation?: string
  maxWait?: string | number
  requestTimeout?: string | number
  rateLimit?: string
  seed?: string | number
  numRuns?: string | number
}

type ConfigFile = {
  'base-url'?: string; issuer?: string; profile?: string; 'control-url'?: string; driver?: string
  initiation?: string; 'max-wait'?: number; 'request-timeout'?: number; 'rate-limit'?: string
  paths?: Partial<Record<'oob-authenticate' | 'primary-authenticate' | 'token' | 'discovery', string>>
  clients?: Partial<Record<'public' | 'confidential' | 'no-grant', { client_id: string; client_secret?: string }>>
  users?: Partial<Accounts['users']>
  scope?: string
}

const invalid = (message: string) => new OobConformanceError('ERR_CONFIG_INVALID', message)

let validateFile: ReturnType<Ajv2020['compile']> | undefined

export function readConfigFile(path: string): ConfigFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw invalid(`--config ${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  }
  let data: unknown
  try {
    data = parseYaml(text)
  } catch (e) {
    throw invalid(`--config ${path}: not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`)
  }
  if (!validateFile) {
    const ajv = new Ajv2020({ allErrors: true, strict: true })
    addFormats.default(ajv)
    validateFile = ajv.compile(schema)
  }
  if (!validateFile(data)) {
    const details = (validateFile.errors ?? []).map((e) => {
      const at = e.instancePath || '(top level)'
      return e.keyword === 'additionalProperties'
        ? `${at}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`
        : `${at}: ${e.message}`
    })
    throw invalid(`--config ${path}: ${details.join('; ')}`)
  }
  return data as ConfigFile
}

function parseUrl(option: string, value: string): URL {
  try {
    const url = new URL(value)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)')
    return url
  } catch {
    throw invalid(`${option} "${value}" is not an http(s) URL; give e.g. https://auth.example.com`)
  }
}

function positiveNumber(option: string, value: string | number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const n = typeof value === 'number' ? value : Number(value)
  if (!Number.isFinite(n) || n <= 0) throw invalid(`${option} "${value}" must be a positive number`)
  return n
}

/** `5`, `5/s` or `0.5/s` → requests per second. */
export function parseRateLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const m = /^([0-9]+(?:\.[0-9]+)?)(?:\/s)?$/.exec(value.trim())
  if (!m || Number(m[1]) <= 0) throw invalid(`--rate-limit "${value}" must look like 5/s (requests per second)`)
  return Number(m[1])
}

export interface ResolvedCheckConfig {
  target: TargetConfig
  /** Set when `--driver` names `interactive` or a module, which the CLI loads and calls in-process. */
  driver?: string
}

/**
 * `baseUrl` may be omitted only when the caller starts the embedded server and passes its URL as `embeddedUrl`.
 */
export function resolveCheckConfig(options: CheckOptions, env: NodeJS.ProcessEnv, embeddedUrl?: string): ResolvedCheckConfig {
  const file = options.config ? readConfigFile(options.config) : {}
  const profile = options.profile ?? file.profile ?? 'okta'
  if (!isProfile(profile)) throw invalid(`--profile "${profile}" is not a profile; use okta or rfc`)

  // A flag replaces the file's target as a whole (base-url and issuer together): mixing the flag's base URL
  // with the file's issuer would send the requests to a server the report does not name.
  const targetFlags = Boolean(options.baseUrl || options.issuer)
  const issuerOption = targetFlags ? options.issuer : file.issuer
  const baseOption = targetFlags ? options.baseUrl : file['base-url'] ?? embeddedUrl
  if (!baseOption && !issuerOption) throw invalid('no target: give --base-url URL or --issuer URL')
  const issuerLabel = targetFlags ? '--issuer' : 'issuer'
  const base = baseOption
    ? parseUrl(targetFlags ? '--base-url' : 'base-url', baseOption)
    : parseUrl(issuerLabel, issuerOption!)
  const endpoints = endpointsFromIssuer(issuerOption ? parseUrl(issuerLabel, issuerOption) : base)
  const filePaths = file.paths ?? {}
  const explicit = (key: keyof NonNullable<ConfigFile['paths']>) => {
    const path = filePaths[key]
    if (path === undefined) return undefined
    try {
      return new URL(path, base).href
    } catch {
      throw invalid(`--config ${options.config}: paths.${key} "${path}" is neither a path nor a URL`)
    }
  }
  endpoints.oobAuthenticate = explicit('oob-authenticate') ?? endpoints.oobAuthenticate
  endpoints.primaryAuthenticate = explicit('primary-authenticate') ?? endpoints.primaryAuthenticate
  endpoints.token = explicit('token') ?? endpoints.token
  endpoints.discovery = explicit('discovery') ?? endpoints.discovery

  const initiation = options.initiation ?? file.initiation ?? 'primary-authenticate'
  if (initiation !== 'primary-authenticate' && initiation !== 'oob-authenticate') {
    throw invalid(`--initiation "${initiation}" must be primary-authenticate or oob-authenticate`)
  }

  const accounts = standardAccounts()
  const clients = file.clients ?? {}
  if (clients.public) accounts.clients.public = { clientId: clients.public.client_id }
  if (clients['no-grant']) accounts.clients.noGrant = { clientId: clients['no-grant'].client_id }
  if (clients.confidential) {
    accounts.clients.confidential = { clientId: clients.confidential.client_id, clientSecret: clients.confidential.client_secret }
  }
  // The environment comes last in precedence: it supplies the secret only when the config file does not.
  if (env.OOB_CLIENT_SECRET && !clients.confidential?.client_secret) {
    accounts.clients.confidential.clientSecret = env.OOB_CLIENT_SECRET
  }
  Object.assign(accounts.users, file.users ?? {})
  if (file.scope) accounts.scope = file.scope

  // As for the target: `--driver` or `--control-url` on the command line replaces the file's choice.
  const driverFlags = Boolean(options.driver || options.controlUrl)
  const driver = driverFlags ? options.driver : file.driver
  const controlOption = driverFlags ? options.controlUrl : file['control-url']
  if (driver && controlOption) throw invalid('give either --control-url or --driver, not both')
  let controlUrl: string | undefined
  if (controlOption) {
    const label = driverFlags ? '--control-url' : 'control-url'
    controlUrl = parseUrl(label, controlOption).href.replace(/\/+$/, '')
  }

  const seedOption = options.seed
  const seed = seedOption === undefined ? randomInt(2 ** 31) : Number(seedOption)
  if (!Number.isSafeInteger(seed)) throw invalid(`--seed "${seedOption}" must be an integer`)
  const numRuns = positiveNumber('--num-runs', options.numRuns, 100)
  if (!Number.isInteger(numRuns)) throw invalid(`--num-runs "${options.numRuns}" must be a whole number`)

  const target: TargetConfig = {
    baseUrl: base.href.replace(/\/+$/, ''),
    profile,
    endpoints,
    initiation: initiation === 'primary-authenticate' ? 'primaryAuthenticate' : 'oobAuthenticate',
    accounts,
    controlUrl,
    maxWaitSeconds: positiveNumber('--max-wait', options.maxWait ?? file['max-wait'], 60),
    requestTimeoutMs: positiveNumber('--request-timeout', options.requestTimeout ?? file['request-timeout'], 10) * 1000,
    maxResponseBytes: 1024 * 1024,
    rateLimit: parseRateLimit(options.rateLimit ?? file['rate-limit']),
    seed,
    numRuns,
  }
  return { target, driver }
}

/** Whether the options (or their config file) name a server; without one, `check` starts the embedded server. */
export function targetGiven(options: CheckOptions): boolean {
  if (options.baseUrl || options.issuer) return true
  if (!options.config) return false
  const file = readConfigFile(options.config)
  return Boolean(file['base-url'] || file.issuer)
}
