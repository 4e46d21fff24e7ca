/**
 * The resolved target: everything a suite needs to know about the server under test, as one serialisable object.
 * Suites never look anywhere else — the reference server, every mutant and a remote server are just targets.
 * @module
 */
import type { Profile } from '../profile.js'

export type DriverOperation = 'approve' | 'deny' | 'otp' | 'expire'

export interface ClientAccount {
  clientId: string
  /** Only for the confidential client; supplied by the config file or `OOB_CLIENT_SECRET`. */
  clientSecret?: string
}

export interface Accounts {
  clients: { public: ClientAccount; confidential: ClientAccount; noGrant: ClientAccount }
  users: { push: string; number: string; sms: string; voice: string; email: string; unenrolled: string }
  scope: string
}

export interface Endpoints {
  oobAuthenticate: string
  primaryAuthenticate: string
  token: string
  /** Discovery document; the JWKS is read from its `jwks_uri`. */
  discovery: string
}

export interface TargetConfig {
  baseUrl: string
  profile: Profile
  endpoints: Endpoints
  /** Which initiation endpoint the flows use; both are checked by the schema suite. */
  initiation: 'primaryAuthenticate' | 'oobAuthenticate'
  accounts: Accounts
  /** Base URL of the target's test-control API, which plays the user unless `--driver` names another driver. */
  controlUrl?: string
  /** Bound on any single real-time wait (expiry, long polling), in seconds. */
  maxWaitSeconds: number
  requestTimeoutMs: number
  maxResponseBytes: number
  /** Requests per second across the run; undefined = unthrottled. */
  rateLimit?: number
  seed: number
  numRuns: number
}
