import { describe, it, expect } from 'vitest'
import { errorOf, type OAuthErrorBody, type OktaErrorBody } from './index.js'

describe('errorOf', () => {
  it('reads the RFC 6749 §5.2 shape', () => {
    const body: OAuthErrorBody = { error: 'access_denied', error_description: 'denied' }
    expect(errorOf(body)).toEqual({ error: 'access_denied', errorDescription: 'denied' })
    expect(errorOf({ error: 'slow_down' })).toEqual({ error: 'slow_down' })
  })

  it('reads Okta’s errorCode shape', () => {
    const body: OktaErrorBody = { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit',
      errorLink: 'E0000047', errorId: 'oae1', errorCauses: [] }
    expect(errorOf(body)).toEqual({ error: 'E0000047', errorDescription: 'API call exceeded rate limit' })
  })

  it('prefers error to errorCode, and never mixes the shapes', () => {
    expect(errorOf({ error: 'invalid_grant', errorCode: 'E0000009', errorSummary: 'x' }))
      .toEqual({ error: 'invalid_grant' })
    expect(errorOf({ errorCode: 'E0000009', error_description: 'x' })).toEqual({ error: 'E0000009' })
  })

  it.each([
    ['no body', undefined],
    ['null', null],
    ['an array', [{ error: 'x' }]],
    ['a string', 'error'],
    ['a non-string error', { error: 42, errorCode: 7 }],
    ['tokens', { access_token: 'a', token_type: 'Bearer' }],
  ])('finds no error in %s', (_, body) => {
    expect(errorOf(body)).toBeUndefined()
  })
})
