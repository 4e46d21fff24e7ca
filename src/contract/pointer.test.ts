import { describe, expect, it } from 'vitest'
import { fragment, locate, pointer } from './pointer.js'

describe('pointer', () => {
  it('escapes ~ and / as RFC 6901 requires', () => {
    expect(pointer('paths', '/oauth2/v1/token', 'post')).toBe('/paths/~1oauth2~1v1~1token/post')
    expect(pointer('a~b', 200)).toBe('/a~0b/200')
  })

  it('turns a pointer into a URI fragment', () => {
    expect(fragment('/paths/~1transactions~1{oob_code}/post'))
      .toBe('#/paths/~1transactions~1%7Boob_code%7D/post')
  })
})

describe('locate', () => {
  const doc = {
    paths: { '/x': { a: { $ref: '#/components/b' } } },
    components: {
      b: { $ref: '#/components/c' },
      c: { description: 'here' },
      loop: { $ref: '#/components/loop' },
    },
  }

  it('follows local $refs to the real location', () => {
    expect(locate(doc, '/paths/~1x/a')).toEqual({ pointer: '/components/c', node: { description: 'here' } })
  })

  it('returns undefined when nothing is there', () => {
    expect(locate(doc, '/paths/~1y')).toBeUndefined()
    expect(locate(doc, '/components/c/description')).toBeUndefined()
  })

  it('refuses circular and external $refs', () => {
    expect(() => locate(doc, '/components/loop'))
      .toThrow(expect.objectContaining({ code: 'ERR_SPEC_INVALID' }))
    expect(() => locate({ a: { $ref: 'other.yaml#/x' } }, '/a')).toThrow(/unsupported or circular/)
  })
})
