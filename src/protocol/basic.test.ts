import { describe, it, expect } from 'vitest'
import { basicAuthorization, basicUserPass, parseBasicAuthorization } from './index.js'

const header = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`
const userPassOf = (authorization: string) => Buffer.from(authorization.slice('Basic '.length), 'base64').toString()

describe('basicAuthorization', () => {
  it('form-encodes id and secret before base64 (RFC 6749 §2.3.1)', () => {
    const authorization = basicAuthorization('my client', 'p:ss word/+')
    expect(authorization.startsWith('Basic ')).toBe(true)
    expect(userPassOf(authorization)).toBe('my+client:p%3Ass+word%2F%2B')
  })

  it('leaves the characters form encoding keeps as they are', () => {
    expect(basicAuthorization('oob-confidential-client', 'oob-confidential-secret'))
      .toBe(header('oob-confidential-client:oob-confidential-secret'))
    expect(userPassOf(basicAuthorization('a*b.c_d', 'e-f'))).toBe('a*b.c_d:e-f')
  })

  it('encodes UTF-8 and the characters encodeURIComponent would leave', () => {
    expect(userPassOf(basicAuthorization('zoë', "!'()~"))).toBe('zo%C3%AB:%21%27%28%29%7E')
  })
})

describe('parseBasicAuthorization', () => {
  it.each([
    ['plain', 'oob-confidential-client', 'oob-confidential-secret'],
    ['spaces, colons and plus signs', 'my client', 'p:ss word/+'],
    ['UTF-8 and reserved characters', 'zoë:1', "!'()~%&="],
    ['an empty secret', 'client', ''],
  ])('round-trips %s', (_, clientId, clientSecret) => {
    expect(parseBasicAuthorization(basicAuthorization(clientId, clientSecret))).toEqual({ clientId, clientSecret })
  })

  it('reads the scheme in any case, after one or more spaces', () => {
    const token = basicAuthorization('c', 's').slice('Basic '.length)
    for (const authorization of [`basic ${token}`, `BASIC   ${token}`, `Basic ${token}  `]) {
      expect(parseBasicAuthorization(authorization)).toEqual({ clientId: 'c', clientSecret: 's' })
    }
  })

  it('splits at the first colon: the user-id cannot contain one (RFC 7617 §2)', () => {
    expect(parseBasicAuthorization(header('id:se:cret'))).toEqual({ clientId: 'id', clientSecret: 'se:cret' })
  })

  it.each([
    ['another scheme', 'Bearer eDp5'],
    ['no credentials', 'Basic'],
    ['not base64', 'Basic !!!'],
    ['a tab after the scheme', 'Basic\teDp5'],
    ['no colon', header('x')],
    ['a broken percent escape', header('%zz:x')],
  ])('refuses %s', (_, authorization) => {
    expect(parseBasicAuthorization(authorization)).toBeUndefined()
  })
})

describe('basicUserPass', () => {
  it('gives the user-id and password as sent, not form-decoded', () => {
    expect(basicUserPass(header('my+client:%zz'))).toEqual({ userId: 'my+client', password: '%zz' })
    expect(basicUserPass(header('no-colon'))).toBeUndefined()
  })
})
