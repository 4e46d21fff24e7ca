/**
 * Which profile a pact is judged under. The project's consumer pacts name their profile in the provider's name
 * (`oob-server-okta`, `oob-server-rfc`); `verify-pact` without `--profile` judges each pact under the profile
 * it names, and a pact that names none under okta, saying so.
 * @module
 */
import { PROFILES, type Profile } from '../profile.js'
import type { Pact } from './pact-file.js'

/** The provider of the consumer pact of `profile`: `oob-server-okta`, `oob-server-rfc`. */
export const providerName = (profile: Profile) => `oob-server-${profile}`

/** The profile the pact's provider names, if it is one of {@link providerName}'s. */
export function profileNamedBy(pact: Pact): Profile | undefined {
  return PROFILES.find((profile) => providerName(profile) === pact.provider.name)
}

/** The profile a pact without one is judged under. */
export const DEFAULT_PACT_PROFILE: Profile = 'okta'

export interface PactProfile {
  profile: Profile
  /** Why this profile, for the run's notes: `its provider is oob-server-rfc`, `--profile`, … */
  reason: string
}

/**
 * The profile to judge `pact` under: `explicit` (`--profile`, or the config file's `profile`) always wins;
 * else the one its provider names; else okta, with a reason that says `--profile rfc` changes it.
 */
export function pactProfile(pact: Pact, explicit?: { profile: Profile; source: string }): PactProfile {
  const named = profileNamedBy(pact)
  if (explicit) {
    const differs = named !== undefined && named !== explicit.profile
    return { profile: explicit.profile,
      reason: explicit.source + (differs ? `; its provider ${pact.provider.name} names ${named}` : '') }
  }
  if (named) return { profile: named, reason: `its provider is ${pact.provider.name}` }
  const other = PROFILES.find((p) => p !== DEFAULT_PACT_PROFILE)!
  return { profile: DEFAULT_PACT_PROFILE, reason: `its provider "${pact.provider.name}" names no profile ` +
    `(${PROFILES.map(providerName).join(' or ')} would); --profile ${other} judges it under ${other}` }
}
