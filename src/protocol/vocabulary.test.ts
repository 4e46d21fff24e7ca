import { describe, it, expect } from 'vitest'
import {
  AUTH_METHODS, BINDING_METHODS, CHANNELS, isBindingMethod, isChannel, OOB_CHALLENGE_HINT, OOB_GRANT_TYPE,
} from './index.js'

describe('the vocabulary', () => {
  it('has the OOB grant, which is also the challenge_hint', () => {
    expect(OOB_GRANT_TYPE).toBe('urn:okta:params:oauth:grant-type:oob')
    expect(OOB_CHALLENGE_HINT).toBe(OOB_GRANT_TYPE)
  })

  it('lists the enums of spec/openapi.yaml', () => {
    expect(CHANNELS).toEqual(['push', 'sms', 'voice', 'email'])
    expect(BINDING_METHODS).toEqual(['none', 'transfer', 'prompt'])
    expect(AUTH_METHODS).toEqual(['client_secret_basic', 'client_secret_post', 'none'])
  })

  it('recognises members exactly', () => {
    expect(CHANNELS.every(isChannel)).toBe(true)
    expect(BINDING_METHODS.every(isBindingMethod)).toBe(true)
    for (const value of ['Push', 'fax', '', undefined, null, 1]) expect(isChannel(value)).toBe(false)
    for (const value of ['None', 'transfer ', 'push', undefined]) expect(isBindingMethod(value)).toBe(false)
  })
})
