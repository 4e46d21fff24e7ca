/**
 * Which client requirements `client-check` judges — read from the scenarios' verdicts and the wire rules
 * themselves, so the answer cannot drift from the code — and the ones it cannot judge, each with the reason.
 * @module
 */
import type { Profile } from '../profile.js'
import { scenariosFor } from './scenarios.js'
import { scenarioVerdicts, type ScenarioRun } from './verdicts.js'
import { wireVerdicts } from './wire.js'

/** Client requirements no scenario can exercise, with the reason. */
export const NOT_JUDGED: Readonly<Record<string, string>> = {
  'OOB-C-FRESH-CLIENT-ASSERTION': 'it concerns private_key_jwt client authentication: the scripted server ' +
    'registers its confidential client with a client secret, so no client it runs signs an assertion',
}

/** The `OOB-C-…` ids some verdict of `client-check` judges under `profile`, sorted. */
export function judgedRequirements(profile: Profile): string[] {
  // A run with no request: every verdict still names the requirements it is about (skipped, with why).
  const runs = scenariosFor(profile).map((scenario): ScenarioRun => ({
    scenario, profile, requests: [], transactions: [], outcome: { exitCode: null, output: '' }, durationMs: 0,
    clientId: '',
  }))
  const verdicts = [...runs.flatMap(scenarioVerdicts), ...wireVerdicts(runs)]
  return [...new Set(verdicts.flatMap((v) => v.requirements))].sort()
}
