/**
 * Steps worded for reports. Expected statuses and error codes come from the catalogue's per-profile
 * expectations (`spec/requirements.yaml`), so the catalogue, not the check, says what each profile expects.
 * Every step names the requirement it evaluates: it passes that id or fails it, and nothing else.
 * @module
 */
import { OobConformanceError } from '../errors.js'
import type { HttpResponse } from '../http/client.js'
import type { Profile } from '../profile.js'
import { loadRequirements } from '../requirements/index.js'
import { PROFILES } from '../profile.js'
import { describeResponse, hasTokens, oauthError, sentTooLate } from './oob.js'
import { fail, notJudged, pass } from './steps.js'

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

/**
 * A failed expectation of a live code, met by the expiry answer of a request the check sent too late: not judged
 * (the delay was the check's), never failed.
 */
function unjudgedWhenLate(requirementId: string, res: HttpResponse, situation: string): void {
  if (requirementId === 'OOB-S-OOB-CODE-EXPIRES') return
  const why = sentTooLate(res)
  if (why && PROFILES.some((p) => meets(res, expectationFor('OOB-S-OOB-CODE-EXPIRES', p)))) {
    notJudged(`${situation}: ${describeResponse(res)}, but ${why}`, requirementId)
  }
}

/** Passes `requirementId`, or fails it with "<situation>: expected <the profile's expectation>, got <…>". */
export function expectOutcome(res: HttpResponse, requirementId: string, profile: Profile, situation: string): void {
  const expectation = expectationFor(requirementId, profile)
  if (!meets(res, expectation)) {
    unjudgedWhenLate(requirementId, res, situation)
    fail(requirementId, `${situation}: expected ${expectation.text} (${profile}), got ${describeResponse(res)}`)
  }
  pass(requirementId, `${situation}: ${describeResponse(res)}`)
}

/** Passes `requirementId` when `res` is a 200 with tokens. */
export function expectTokens(requirementId: string, res: HttpResponse, situation: string): void {
  if (!hasTokens(res)) {
    unjudgedWhenLate(requirementId, res, situation)
    fail(requirementId, `${situation}: expected 200 with tokens, got ${describeResponse(res)}`)
  }
  pass(requirementId, `${situation}: tokens`)
}

/** Passes `requirementId` when `res` is not a success: no tokens, no 200. */
export function expectNoTokens(requirementId: string, res: HttpResponse, situation: string): void {
  if (hasTokens(res) || res.status === 200) fail(requirementId, `${situation}: expected an error, got ${describeResponse(res)}`)
  pass(requirementId, `${situation}: ${describeResponse(res)}`)
}
