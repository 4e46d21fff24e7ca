/**
 * The adapter's options and their resolution into the engine's target, through the CLI's own
 * `resolveCheckConfig`: the same option names (as `check` long options, in camelCase), defaults and errors.
 * @module
 */
import { resolveCheckConfig, targetGiven, type CheckOptions } from '../config/resolve.js'
import type { TargetConfig } from '../config/target.js'
import { controlApiDriver } from '../drivers/control-api.js'
import type { Driver } from '../drivers/driver.js'
import { loadDriverModule } from '../drivers/module.js'
import type { EngineListener } from '../engine/events.js'
import { isSuite, type Suite } from '../engine/load.js'
import { OobConformanceError } from '../errors.js'
import type { Profile } from '../profile.js'
import { loadExpectedFailures, parseExpectedFailures, type ExpectedFailure } from '../results/expected-failures.js'
import type { Handler } from './serve.js'

export interface ConformanceOptions {
  /**
   * The server under test, as `check --base-url`. With `handler`, a path (resolved against the URL the handler
   * is served on) or nothing.
   */
  baseUrl?: string
  /** An org or custom authorization server issuer, as `check --issuer`; with `handler`, a path such as `/oauth2/default`. */
  issuer?: string
  /**
   * The server in-process: a `node:http` listener (an Express app), a fetch function or an object with `fetch`
   * (a Hono app). It is served on 127.0.0.1 on an ephemeral port for the run and closed after it.
   */
  handler?: Handler
  /** A YAML/JSON config file, as `check --config` (paths, clients, users, scope and any option). */
  config?: string
  profile?: Profile
  /**
   * The test-control API that plays the user, as `check --control-url`; a path (`/control`) is resolved against
   * the base URL. Without it (or `driver`), checks that need the user are skipped with the reason.
   */
  controlUrl?: string
  /** Plays the user instead of a control API: any of `approve`, `deny`, `otp`, `expire`. */
  driver?: Driver
  initiation?: 'primary-authenticate' | 'oob-authenticate'
  /** Longest real-time wait a check may do, seconds (default 60). */
  maxWait?: number
  /** Bound on every HTTP exchange, seconds (default 10). */
  requestTimeout?: number
  /** Throttle the whole run: `5/s`, or a number of requests per second. */
  rateLimit?: string | number
  seed?: number
  /** Generated cases per property (default 100). */
  numRuns?: number
  /** Default: all but `pact`. */
  suites?: readonly Suite[] | string
  /** A file as `check --expected-failures`, or its entries. Matched failures become passing tests with a warning. */
  expectedFailures?: string | readonly ExpectedFailure[]
  /** A failed SHOULD/MAY fails its test (by default it passes with a warning annotation). */
  strict?: boolean
  /** Also write the reports `check` writes (results.json, junit.xml, summary.md, report.html) here. */
  reportDir?: string
  /** Checks running at once (default 8). */
  concurrency?: number
  /** Name of the `describe` block (default `oob-conformance (profile <profile>)`). */
  name?: string
  /** Bound on the whole run, ms (default 10 minutes): the timeout of the `beforeAll` hook that runs it. */
  timeout?: number
  /** The engine's progress events (check-start, step, check-end, …). */
  onEvent?: EngineListener
  /** Where `OOB_CLIENT_SECRET` is read from (default `process.env`). */
  env?: NodeJS.ProcessEnv
}

export const DEFAULT_SUITES: readonly Suite[] = ['schema', 'flows', 'properties', 'security']
export const DEFAULT_RUN_TIMEOUT_MS = 10 * 60_000

/** Stands in for the handler's URL until it is served (collection time): only the profile is read then. */
const PLACEHOLDER_ORIGIN = 'http://127.0.0.1'
/** Stands in for a relative control URL so `resolveCheckConfig` applies the CLI's precedence rules. */
const PLACEHOLDER_CONTROL = 'http://control.invalid'

const usage = (message: string) => new OobConformanceError('ERR_USAGE', `oob-conformance/vitest: ${message}`)

const isAbsoluteUrl = (value: string) => /^[a-z][a-z0-9+.-]*:/i.test(value)

export function suitesOf(value: ConformanceOptions['suites']): Suite[] {
  if (value === undefined) return [...DEFAULT_SUITES]
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : [...value]
  const unknown = list.filter((s) => !isSuite(s))
  if (unknown.length > 0 || list.length === 0) {
    const what = unknown.length > 0 ? `unknown suite ${unknown.join(', ')}` : 'no suite named'
    throw usage(`suites: ${what}; choose from schema, flows, properties, security, pact`)
  }
  return [...new Set(list)] as Suite[]
}

export interface ResolvedTarget {
  target: TargetConfig
  /** A `driver:` of the config file (a module path); `driver` objects are not resolved here. */
  driverSpec?: string
}

/**
 * The engine's target for `options`. `servedUrl` is where the handler listens; before it is served (collection
 * time) a placeholder origin stands in, which is enough to validate the options and learn the profile.
 */
export function resolveTarget(options: ConformanceOptions, servedUrl?: string): ResolvedTarget {
  const env = options.env ?? process.env
  const { handler, driver } = options
  if (driver !== undefined && options.controlUrl !== undefined) {
    throw usage('give either controlUrl or driver, not both')
  }
  if (handler !== undefined) {
    for (const key of ['baseUrl', 'issuer'] as const) {
      const value = options[key]
      if (value !== undefined && isAbsoluteUrl(value)) {
        throw usage(`with handler, ${key} must be a path (e.g. ${key === 'issuer' ? '/oauth2/default' : '/'}), ` +
          `not "${value}": the handler is served on an ephemeral loopback port`)
      }
    }
  }
  if (handler === undefined && !options.baseUrl && !options.issuer && !options.config) {
    throw usage('no target: give baseUrl, issuer, config or handler')
  }
  const origin = servedUrl ?? PLACEHOLDER_ORIGIN
  const absolute = (value: string | undefined) =>
    value === undefined || handler === undefined ? value : new URL(value, origin + '/').href
  const relativeControl = options.controlUrl !== undefined && !isAbsoluteUrl(options.controlUrl)
  const checkOptions: CheckOptions = {
    baseUrl: absolute(options.baseUrl),
    issuer: absolute(options.issuer),
    profile: options.profile,
    config: options.config,
    controlUrl: relativeControl ? PLACEHOLDER_CONTROL : options.controlUrl,
    // A driver object replaces the config file's driver or control-url, as `--driver` does.
    driver: driver === undefined ? undefined : 'driver option',
    initiation: options.initiation,
    maxWait: options.maxWait,
    requestTimeout: options.requestTimeout,
    rateLimit: typeof options.rateLimit === 'number' ? `${options.rateLimit}/s` : options.rateLimit,
    seed: options.seed,
    numRuns: options.numRuns,
  }
  if (handler !== undefined && checkOptions.baseUrl === undefined && checkOptions.issuer === undefined) {
    if (options.config !== undefined && targetGiven(checkOptions)) {
      throw usage(`with handler, the config file ${options.config} must not name base-url or issuer ` +
        '(give a path as baseUrl or issuer instead)')
    }
    checkOptions.baseUrl = origin
  }
  const { target, driver: driverSpec } = resolveCheckConfig(checkOptions, env)
  if (relativeControl) target.controlUrl = new URL(options.controlUrl!, target.baseUrl + '/').href.replace(/\/+$/, '')
  return { target, driverSpec: driver === undefined ? driverSpec : undefined }
}

/** The driver of the run: the `driver` object, the config file's driver module, or the control API. */
export async function driverFor(options: ConformanceOptions, resolved: ResolvedTarget): Promise<Driver | undefined> {
  if (options.driver !== undefined) return options.driver
  const { target, driverSpec } = resolved
  if (driverSpec === 'interactive') {
    throw usage(`the config file's driver "interactive" needs a terminal; give a driver object or a controlUrl`)
  }
  if (driverSpec !== undefined) return loadDriverModule(driverSpec)
  if (target.controlUrl !== undefined) {
    return controlApiDriver(target.controlUrl, { timeoutMs: target.requestTimeoutMs, maxResponseBytes: target.maxResponseBytes })
  }
  return undefined
}

export async function expectedFailuresOf(value: ConformanceOptions['expectedFailures']): Promise<ExpectedFailure[]> {
  if (value === undefined) return []
  if (typeof value === 'string') return loadExpectedFailures(value)
  return parseExpectedFailures(JSON.stringify(value), 'expectedFailures option')
}
