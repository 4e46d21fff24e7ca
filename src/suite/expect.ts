/**
 * Verdicts worded for reports. Expected statuses and error codes come from the catalogue's per-profile
 * expectations (`spec/requirements.yaml`), so the catalogue, not the check, says what each profile expects.
 * @module
 */
import { OobConformanceError } from '../errors.js'
import type { HttpResponse } from '../http/client.js'
import type { Profile } from '../profile.js'
import { loadRequirements } from '../requirements/index.js'
import { fail } from './failure.js'
import { describeResponse, hasTokens, oauthError } from './oob.js'

export interface Expectation {
  status?: number[]
  error?: string[]
  text: string
}

export function expectationFor(requirementId: string, profile: Profile): Expectation {
  const requirement = loadRequirements().get(requirementId)
  if (!requirement) {
    throw new OobConformanceError('ERR_SPEC_INVALID', `unknown requirement id ${requirementId} (not in spec/requirements.yaml)`)
  }
  const p = requirement.profiles[profile]
  return { status: p.status, error: p.error, text: p.expect }
}

/** Whether `res` is what the requirement expects under `profile` (status and error code lists; absent = any). */
export function meets(res: HttpResponse, expectation: Expectation): boolean {
  if (expectation.status && !expectation.status.includes(res.status)) return false
  if (expectation.error && !expectation.error.includes(oauthError(res) ?? '')) return false
  return true
}

/** Fails with "<situation>: expected <the profile's expectation>, got <status error>". */
export function expectOutcome(res: HttpResponse, requirementId: string, profile: Profile, situation: string): void {
  const expectation = expectationFor(requirementId, profile)
  if (!meets(res, expectation)) {
    fail(`${situation}: expected ${expectation.text} (${profile}), got ${describeResponse(res)}`)
  }
}

export function expectTokens(res: HttpResponse, situation: string): void {
  if (!hasTokens(res)) fail(`${situation}: expected 200 with tokens, got ${describeResponse(res)}`)
}

export function expectNoTokens(res: HttpResponse, situation: string): void {
  if (hasTokens(res) || res.status === 200) fail(`${situation}: expected an error, got ${describeResponse(res)}`)
}

export function expectError(res: HttpResponse, status: number | number[], error: string | string[], situation: string): void {
  const statuses = Array.isArray(status) ? status : [status]
  const errors = Array.isArray(error) ? error : [error]
  if (!statuses.includes(res.status) || !errors.includes(oauthError(res) ?? '')) {
    fail(`${situation}: expected ${statuses.join('/')} ${errors.join(' or ')}, got ${describeResponse(res)}`)
  }
}
