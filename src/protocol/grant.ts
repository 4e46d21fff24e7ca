/**
 * The grant this suite is about: Okta's out-of-band grant of the direct-authentication API. Its URN is
 * both the token request's `grant_type` and the initiation request's `challenge_hint`.
 * @module
 */
import type { components } from '../../spec/generated/openapi.js'

type Schemas = components['schemas']

/** `grant_type` of the token request that redeems an `oob_code`. */
export const OOB_GRANT_TYPE: Schemas['OobTokenRequest']['grant_type'] = 'urn:okta:params:oauth:grant-type:oob'

/** `challenge_hint` of an initiation request: the grant the challenge is for, hence the same URN. */
export const OOB_CHALLENGE_HINT: Schemas['ChallengeHint'] = OOB_GRANT_TYPE
