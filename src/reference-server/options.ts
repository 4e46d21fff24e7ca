/**
 * Options of the reference server, their defaults and their validation.
 * @module
 */

import { OobConformanceError } from '../errors.js'
import { isProfile, type Profile } from '../profile.js'
import type { Behaviour } from './behaviour.js'

export interface ReferenceServerOptions {
  /** Wire profile (DESIGN.md "Profiles"); default `okta`. */
  profile: Profile
  /** Polling interval in seconds returned for push; default 5. */
  interval: number
  /** Lifetime of an `oob_code` in seconds; default 300. */
  expiresIn: number
  /** ms since epoch; the only clock the server reads. Default `Date.now`. */
  now: () => number
  /** Mount the test-control API under `/control`; default true. */
  control: boolean
  /** Issuer of the org authorization server; default: the origin of each request's URL. */
  issuer?: string
  /** Per client_id; default 6000 requests per 60 s. */
  rateLimit: { limit: number; windowSeconds: number } | false
  /** Wrong `binding_code`s after which a prompt transaction is dead; default 5. */
  otpMaxAttempts: number
  /** Replacements for the default decisions (the mutant seam, README.md). */
  behaviour: Partial<Behaviour>
}

function positive(name: string, value: number, integer: boolean): number {
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new OobConformanceError('ERR_CONFIG_INVALID',
      `reference server: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`)
  }
  return value
}

export function resolveOptions(options: Partial<ReferenceServerOptions> = {}): ReferenceServerOptions {
  const profile = options.profile ?? 'okta'
  if (!isProfile(profile)) {
    throw new OobConformanceError('ERR_CONFIG_INVALID',
      `reference server: unknown profile '${String(profile)}'`)
  }
  const rateLimit = options.rateLimit ?? { limit: 6000, windowSeconds: 60 }
  const resolved: ReferenceServerOptions = {
    profile,
    interval: positive('interval', options.interval ?? 5, true),
    expiresIn: positive('expiresIn', options.expiresIn ?? 300, true),
    now: options.now ?? Date.now,
    control: options.control ?? true,
    rateLimit: rateLimit === false ? false : {
      limit: positive('rateLimit.limit', rateLimit.limit, true),
      windowSeconds: positive('rateLimit.windowSeconds', rateLimit.windowSeconds, false),
    },
    // Infinity is accepted: it is how the "no OTP attempt limit" mutant is made.
    otpMaxAttempts: options.otpMaxAttempts === Number.POSITIVE_INFINITY
      ? Number.POSITIVE_INFINITY
      : positive('otpMaxAttempts', options.otpMaxAttempts ?? 5, true),
    behaviour: options.behaviour ?? {},
  }
  if (options.issuer !== undefined) {
    if (!URL.canParse(options.issuer)) {
      throw new OobConformanceError('ERR_CONFIG_INVALID',
        `reference server: issuer '${options.issuer}' is not a URL`)
    }
    resolved.issuer = options.issuer.replace(/\/+$/, '')
  }
  return resolved
}
