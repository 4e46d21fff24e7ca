import { describe, it, expect } from 'vitest'
import type { Pact } from './pact-file.js'
import { pactProfile, profileNamedBy, providerName } from './pact-profile.js'

const pactFor = (provider: string): Pact =>
  ({ consumer: { name: 'oob-flow-client' }, provider: { name: provider }, interactions: [] })

describe('the profile of a pact', () => {
  it('is the one its provider names', () => {
    expect(providerName('rfc')).toBe('oob-server-rfc')
    expect(profileNamedBy(pactFor('oob-server-okta'))).toBe('okta')
    expect(profileNamedBy(pactFor('oob-server-rfc'))).toBe('rfc')
    expect(profileNamedBy(pactFor('oob-server-RFC'))).toBeUndefined()
    expect(pactProfile(pactFor('oob-server-rfc')))
      .toEqual({ profile: 'rfc', reason: 'its provider is oob-server-rfc' })
  })

  it('is okta when the provider names none, with how to judge it under rfc', () => {
    expect(pactProfile(pactFor('auth-server'))).toEqual({ profile: 'okta', reason: 'its provider "auth-server" ' +
      'names no profile (oob-server-okta or oob-server-rfc would); --profile rfc judges it under rfc' })
  })

  it('is the explicit one whatever the provider names', () => {
    const explicit = { profile: 'okta', source: '--profile' } as const
    expect(pactProfile(pactFor('oob-server-rfc'), explicit))
      .toEqual({ profile: 'okta', reason: '--profile; its provider oob-server-rfc names rfc' })
    expect(pactProfile(pactFor('oob-server-okta'), explicit)).toEqual({ profile: 'okta', reason: '--profile' })
    expect(pactProfile(pactFor('auth-server'), explicit)).toEqual({ profile: 'okta', reason: '--profile' })
  })
})
