import { describe, it, expect } from 'vitest'
import { decodeFormComponent, encodeFormComponent, formBody, parseUrlEncoded } from './index.js'

describe('formBody', () => {
  it('repeats array values, sends empty values and leaves out undefined ones', () => {
    expect(formBody({ scope: 'openid profile', acr: ['a', 'b&c'], skipped: undefined, empty: '' }))
      .toBe('scope=openid+profile&acr=a&acr=b%26c&empty=')
    expect(formBody({ none: [] })).toBe('')
  })

  it('encodes a space as + and a literal + as %2B', () => {
    expect(formBody({ q: 'a b+c' })).toBe('q=a+b%2Bc')
  })

  it('percent-encodes UTF-8 and every reserved character', () => {
    expect(formBody({ 'login hint': 'zoë+1@example.test', x: "!'()~=&%" }))
      .toBe('login+hint=zo%C3%AB%2B1%40example.test&x=%21%27%28%29%7E%3D%26%25')
  })
})

describe('encodeFormComponent', () => {
  it('encodes one component as formBody does', () => {
    const text = "a b+c/d:é!'()*~-._"
    expect(`x=${encodeFormComponent(text)}`).toBe(formBody({ x: text }))
  })
})

describe('decodeFormComponent', () => {
  it('reads + and %20 as a space, %2B as a plus', () => {
    expect(decodeFormComponent('a+b%20c%2Bd')).toBe('a b c+d')
  })

  it.each(['%', '%zz', '%C3', '%FF'])('throws URIError on %s', (text) => {
    expect(() => decodeFormComponent(text)).toThrow(URIError)
  })

  it('inverts encodeFormComponent', () => {
    for (const text of ['', ' ', '+', '%', 'a b+c', 'zoë@example.test', "!'()*~", '\u{1F600}']) {
      expect(decodeFormComponent(encodeFormComponent(text))).toBe(text)
    }
  })
})

describe('parseUrlEncoded', () => {
  it('decodes + and percent escapes, keeping order, repeats and empty values', () => {
    expect(parseUrlEncoded('a=1+2&b=%C3%A9%20x&a=&c&&d=x=y')).toEqual([
      ['a', '1 2'], ['b', 'é x'], ['a', ''], ['c', ''], ['d', 'x=y'],
    ])
  })

  it('returns nothing for an empty body', () => {
    expect(parseUrlEncoded('')).toEqual([])
  })

  it.each(['a=%', 'a=%zz', '%G0=1', 'a=%C3', 'a=%FF'])('refuses a broken escape or non-UTF-8: %s', (body) => {
    expect(parseUrlEncoded(body)).toBeUndefined()
  })

  it('reads back what formBody wrote', () => {
    const params = { scope: 'openid profile', acr: ['a', 'b&c', ''], hint: 'zoë+1@example.test' }
    expect(parseUrlEncoded(formBody(params))).toEqual([
      ['scope', 'openid profile'], ['acr', 'a'], ['acr', 'b&c'], ['acr', ''], ['hint', 'zoë+1@example.test'],
    ])
  })
})
