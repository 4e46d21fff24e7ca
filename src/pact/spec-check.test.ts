import { join } from 'node:path'
import { describe, it, expect } from 'vitest'
import { committedPact } from '../../suites/pact/consumer/cases.js'
import { packageRoot } from '../package-root.js'
import { PROFILES } from '../profile.js'
import { loadPacts } from './pact-file.js'
import { compareWithSpec, withoutConditionals } from './spec-check.js'

const wrongPact = (name: string) =>
  loadPacts(join(packageRoot, 'fixtures', 'wrong-pacts', `${name}.json`))[0]!.pact

describe('withoutConditionals', () => {
  it('drops if/then/else and the allOf members that were only rules, and keeps everything else', () => {
    const schema = {
      type: 'object',
      required: ['a'],
      properties: { a: { type: 'string' } },
      allOf: [
        { title: 'rule', if: { required: ['a'] }, then: { required: ['b'] }, 'x-oob-profiles': ['okta'] },
        { properties: { b: { type: 'integer' } } },
      ],
      if: { required: ['c'] },
    }
    expect(withoutConditionals(schema)).toEqual({
      type: 'object', required: ['a'], properties: { a: { type: 'string' } },
      allOf: [{ properties: { b: { type: 'integer' } } }],
    })
    expect(withoutConditionals({ allOf: [{ if: {}, then: {} }] })).toEqual({})
  })
})

describe('compareWithSpec', () => {
  it.each(PROFILES)('finds nothing wrong with the committed %s pact', async (profile) => {
    expect(await compareWithSpec(loadPacts(committedPact(profile))[0]!.pact, profile)).toEqual([])
  })

  it('sees an rfc-only error code in a pact checked under the okta profile', async () => {
    const findings = await compareWithSpec(loadPacts(committedPact('rfc'))[0]!.pact, 'okta')
    expect(findings).toEqual([expect.objectContaining({
      description: 'push poll after expiry', level: 'error', code: 'response.body.incompatible',
      message: expect.stringContaining('TokenError400.properties.error.enum'),
    })])
  })

  it('reports a field the spec does not have, with the spec location', async () => {
    expect(await compareWithSpec(wrongPact('expects-undocumented-field'), 'okta')).toEqual([{
      description: 'push start', level: 'error', code: 'response.body.incompatible',
      message: 'Response body is incompatible with the response body schema in the spec file: ' +
        'must NOT have additional properties - expires_at (pact interactions[0].response.body; ' +
        'spec/openapi.yaml paths./oauth2/v1/primary-authenticate.post.responses.200.content.' +
        'application/json.schema.additionalProperties)',
    }])
  })

  it('reports a JSON body where the spec takes a form', async () => {
    const findings = await compareWithSpec(wrongPact('sends-json'), 'okta')
    expect(findings.map((f) => f.code)).toContain('request.content-type.incompatible')
    expect(findings.every((f) => f.description === 'push start')).toBe(true)
  })
})
