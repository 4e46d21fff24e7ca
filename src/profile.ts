/** The two wire profiles (DESIGN.md "Profiles"): Okta's documented behaviour, or RFC 6749 / RFC 8628 / CIBA. */
export type Profile = 'okta' | 'rfc'

export const PROFILES: readonly Profile[] = ['okta', 'rfc']

export function isProfile(value: unknown): value is Profile {
  return value === 'okta' || value === 'rfc'
}
