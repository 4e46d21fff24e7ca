/**
 * Resolves the target from CLI flags, an optional `--config` file and the environment, in that order of precedence.
 * Every mistake becomes one `ERR_CONFIG_INVALID` error naming the option and what to do.
 * @module
 */
import { readFileSync } from 'node:fs'
import { randomInt } from 'node:crypto'
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { OobConformanceError } from '../errors.js'
import { isProfile } from '../profile.js'
import { standardAccounts } from './accounts.js'
import { endpointsFromIssuer } from './issuer.js'
import { parseYamlText } from './yaml.js'
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
} & { [K in keyof RunFileOptions as Kebab<K & string>]?: RunFileOptions[K] }

/** The options of `check` beyond the target that a config file may also give. */
export interface RunFileOptions {
  suites?: string | readonly string[]
  reportDir?: string
  seed?: string | number
  numRuns?: string | number
  expectedFailures?: string
  strict?: boolean
  requireComplete?: boolean
  shard?: string
  quiet?: boolean
  verbose?: boolean
}

type Kebab<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `-${Lowercase<Head>}`}${Kebab<Tail>}` : S

const invalid = (message: string) => new OobConformanceError('ERR_CONFIG_INVALID', message)

let validateFile: ReturnType<Ajv2020['compile']> | undefined

/** `baseUrl` → `base-url`: the file takes an option by either of its names. */
const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

export function readConfigFile(path: string): ConfigFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw invalid(`--config ${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  }
  let data: unknown
  try {
    data = parseYamlText(text, `--config ${path}`)
  } catch (e) {
    throw invalid((e as Error).message)
  }
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const named = new Map<string, string>()
    for (const key of Object.keys(data)) {
      const other = named.get(kebab(key))
      if (other !== undefined) throw invalid(`--config ${path}: "${other}" and "${key}" name the same option; keep one`)
      named.set(kebab(key), key)
    }
    data = Object.fromEntries(Object.entries(data).map(([key, value]) => [kebab(key), value]))
  }
  if (!validateFile) {
    // verbose: errors carry the offending value and their schema, whose keys the messages list.
    const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true })
    addFormats.default(ajv)
    validateFile = ajv.compile(schema)
  }
  if (!validateFile(data)) throw invalid(`--config ${path}: ${describeErrors(validateFile.errors ?? [])}`)
  return data as ConfigFile
}

/** Ajv's errors as one line: an unknown key with the valid ones, an enum with its values. */
function describeErrors(errors: ErrorObject[]): string {
  return errors.map((e) => {
    const at = e.instancePath || '(top level)'
    switch (e.keyword) {
      case 'additionalProperties': {
        const valid = Object.keys((e.parentSchema as { properties?: object }).properties ?? {})
        return `${at}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"; ` +
          `valid keys: ${valid.join(', ')}`
      }
      case 'enum':
        return `${at}: ${JSON.stringify(e.data)} is not one of ${
          (e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
      default:
        return `${at}: ${e.message}`
    }
  }).join('; ')
}

/**
 * The options with what the config file gives for those the command line left out: a flag overrides the
 * file. (The target's keys — base-url, issuer, paths, clients, … — are read by {@link resolveCheckConfig}.)
 */
export function withConfigFile<T extends CheckOptions & RunFileOptions>(options: T): T {
  if (!options.config) return options
  const file = readConfigFile(options.config)
  const filled: T = { ...options }
  const keys: (keyof RunFileOptions)[] = ['suites', 'reportDir', 'seed', 'numRuns', 'expectedFailures', 'strict',
    'requireComplete', 'shard', 'quiet', 'verbose']
  for (const key of keys) {
    const value = file[kebab(key) as keyof ConfigFile]
    if (filled[key] === undefined && value !== undefined) Object.assign(filled, { [key]: value })
  }
  return filled
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

/** Everything but the target's URLs: checked before any work starts (the embedded server included). */
export interface CheckSettings extends Omit<TargetConfig, 'baseUrl' | 'endpoints' | 'controlUrl'> {
  options: CheckOptions
  file: ConfigFile
  controlUrl?: string
  driver?: string
}

/**
 * `baseUrl` may be omitted only when the caller starts the embedded server and passes its URL as `embeddedUrl`.
 */
export function resolveCheckConfig(options: CheckOptions, env: NodeJS.ProcessEnv, embeddedUrl?: string): ResolvedCheckConfig {
  return resolveTarget(resolveSettings(options, env), embeddedUrl)
}

/** Reads and checks every option but the target's URLs; the seed, when not given, is drawn here, once. */
export function resolveSettings(options: CheckOptions, env: NodeJS.ProcessEnv): CheckSettings {
  const file = options.config ? readConfigFile(options.config) : {}
  const profile = options.profile ?? file.profile ?? 'okta'
  if (!isProfile(profile)) throw invalid(`--profile "${profile}" is not a profile; use okta or rfc`)
  if (options.baseUrl && options.issuer) {
    throw invalid('give either --base-url or --issuer, not both: the issuer alone sets the endpoints ' +
      '(https://org/oauth2/default → https://org/oauth2/default/v1/token); other paths go under paths: in --config')
  }
  if (!options.baseUrl && !options.issuer && file['base-url'] && file.issuer) {
    throw invalid(`--config ${options.config}: give either base-url or issuer, not both: the issuer alone sets ` +
      'the endpoints; other paths go under paths:')
  }

  const initiation = options.initiation ?? file.initiation ?? 'primary-authenticate'
  if (initiation !== 'primary-authenticate' && initiation !== 'oob-authenticate') {
    throw invalid(`--initiation "${initiation}" must be primary-authenticate or oob-authenticate`)
  }

  const accounts = standardAccounts()
  const clients = file.clients ?? {}
  if (clients.public) accounts.clients.public = { clientId: clients.public.client_id }
  if (clients['no-grant']) accounts.clients.noGrant = { clientId: clients['no-grant'].client_id }
  if (clients.confidential) {
    if (!clients.confidential.client_secret && !env.OOB_CLIENT_SECRET) {
      throw invalid(`--config ${options.config}: clients.confidential (${clients.confidential.client_id}) has no ` +
        'secret: set OOB_CLIENT_SECRET in the environment')
    }
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

  const seedOption = options.seed ?? file.seed
  const seed = seedOption === undefined ? randomInt(2 ** 31) : Number(seedOption)
  if (!/^-?\d+$/.test(String(seedOption ?? seed)) || !Number.isSafeInteger(seed)) {
    throw invalid(`--seed "${seedOption}" must be an integer`)
  }
  const numRunsOption = options.numRuns ?? file['num-runs']
  const numRuns = positiveNumber('--num-runs', numRunsOption, 100)
  if (!Number.isInteger(numRuns)) throw invalid(`--num-runs "${numRunsOption}" must be a whole number`)

  return {
    options, file, profile, initiation: initiation === 'primary-authenticate' ? 'primaryAuthenticate' : 'oobAuthenticate',
    accounts, driver, controlUrl,
    maxWaitSeconds: positiveNumber('--max-wait', options.maxWait ?? file['max-wait'], 60),
    requestTimeoutMs: positiveNumber('--request-timeout', options.requestTimeout ?? file['request-timeout'], 10) * 1000,
    maxResponseBytes: 1024 * 1024,
    rateLimit: parseRateLimit(options.rateLimit ?? file['rate-limit']),
    seed,
    numRuns,
  }
}

/** The target's URLs from the settings; `embeddedUrl` when the caller started the embedded server. */
export function resolveTarget(settings: CheckSettings, embeddedUrl?: string): ResolvedCheckConfig {
  const { options, file, driver, ...rest } = settings
  // A flag replaces the file's target as a whole (base-url and issuer together): mixing the flag's base URL
  // with the file's issuer would send the requests to a server the report does not name.
  const targetFlags = Boolean(options.baseUrl || options.issuer)
  const issuerOption = targetFlags ? options.issuer : file.issuer
  const baseOption = targetFlags ? options.baseUrl : file['base-url'] ?? (file.issuer ? undefined : embeddedUrl)
  if (!baseOption && !issuerOption) throw invalid('no target: give --base-url URL or --issuer URL')
  const issuerLabel = targetFlags ? '--issuer' : 'issuer'
  const base = baseOption
    ? parseUrl(targetFlags ? '--base-url' : 'base-url', baseOption)
    : parseUrl(issuerLabel, issuerOption!)
  const endpoints = endpointsFromIssuer(base)
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
  const target: TargetConfig = { ...rest, baseUrl: base.href.replace(/\/+$/, ''), endpoints }
  return { target, driver }
}

/** Whether the options (or their config file) name a server; without one, `check` starts the embedded server. */
export function targetGiven(options: CheckOptions): boolean {
  if (options.baseUrl || options.issuer) return true
  if (!options.config) return false
  const file = readConfigFile(options.config)
  return Boolean(file['base-url'] || file.issuer)
}
