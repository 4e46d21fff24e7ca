import { describe, expect, it } from 'vitest'
import { profileView } from './profiles.js'

const doc = {
  responses: {
    '400': { description: 'both' },
    '403': { description: 'okta only', 'x-oob-profiles': ['okta'] },
    '409': { $ref: '#/components/responses/RfcOnly' },
  },
  components: {
    responses: { RfcOnly: { description: 'rfc only', 'x-oob-profiles': ['rfc'] } },
    schemas: {
      Request: {
        type: 'object',
        allOf: [{ 'x-oob-profiles': ['okta'], required: ['scope'] }, { required: ['oob_code'] }],
      },
      Code: {
        type: 'string',
        enum: ['a', 'b', 'c'],
        'x-oob-value-profiles': { b: ['rfc'], c: ['okta', 'rfc'] },
      },
    },
  },
}

describe('profileView', () => {
  it('keeps what is marked for the profile or unmarked, and drops the rest', () => {
    const okta = profileView(doc, 'okta')
    expect(Object.keys(okta.responses)).toEqual(['400', '403'])
    expect(okta.components.schemas.Request.allOf).toEqual([
      { 'x-oob-profiles': ['okta'], required: ['scope'] },
      { required: ['oob_code'] },
    ])
    expect(okta.components.schemas.Code.enum).toEqual(['a', 'c'])
  })

  it('drops a $ref whose target is marked for another profile', () => {
    const rfc = profileView(doc, 'rfc')
    expect(Object.keys(rfc.responses)).toEqual(['400', '409'])
    expect(rfc.components.responses).toEqual({ RfcOnly: doc.components.responses.RfcOnly })
    expect(rfc.components.schemas.Request.allOf).toEqual([{ required: ['oob_code'] }])
    expect(rfc.components.schemas.Code.enum).toEqual(['a', 'b', 'c'])
  })

  it('leaves the input untouched', () => {
    const before = structuredClone(doc)
    profileView(doc, 'rfc')
    expect(doc).toEqual(before)
  })

  it('rejects an unknown profile name or a value mark that names no enum value', () => {
    expect(() => profileView({ a: { 'x-oob-profiles': ['oka'] } }, 'okta')).toThrow(
      expect.objectContaining({ code: 'ERR_SPEC_INVALID', message: expect.stringContaining('/a') }))
    expect(() => profileView({ enum: ['x'], 'x-oob-value-profiles': { y: ['rfc'] } }, 'okta')).toThrow(
      expect.objectContaining({ code: 'ERR_SPEC_INVALID' }))
  })
})
