import { describe, it, expect } from 'vitest'
import { describeFailures, parseReport, type Mismatch, type VerifierReport } from './verifier.js'

describe('parseReport', () => {
  it('reads the verifier\'s JSON report', () => {
    expect(parseReport('{"result":true,"errors":[],"output":[]}')).toMatchObject({ result: true, errors: [] })
  })

  it.each([
    ['a message that is not JSON', 'Verification was unable to run', /could not run: Verification was/],
    ['JSON of another shape', '{"ok":1}', /unexpected shape/],
  ])('turns %s into a verifier error', (_what, text, message) => {
    const error = { code: 'ERR_PACT_VERIFIER', message: expect.stringMatching(message) }
    expect(() => parseReport(text)).toThrow(expect.objectContaining(error))
  })
})

describe('describeFailures', () => {
  const report = (mismatches: Mismatch[]): VerifierReport =>
    ({ result: false, errors: [{ interaction: 'x', mismatch: { type: 'mismatches', mismatches } }] })

  it('puts the status first, then body paths and headers', () => {
    expect(describeFailures(report([
      { type: 'BodyMismatch', path: '$', mismatch: 'Actual map is missing the following keys: error' },
      { type: 'HeaderMismatch', key: 'Content-Type', mismatch: 'Expected a JSON media type' },
      { type: 'StatusMismatch', expected: 400, actual: 200, mismatch: 'expected 400 but was 200' },
    ]))).toBe('status: expected 400 but was 200; body $: Actual map is missing the following keys: error; ' +
      'header Content-Type: Expected a JSON media type')
  })

  it('names every status a status matcher accepts', () => {
    expect(describeFailures(report([{ type: 'StatusMismatch', expected: 400, actual: 200,
      mismatch: 'Expected status code 200 to be a 400, 403' }])))
      .toBe('status: expected 400 but was 200 (Expected status code 200 to be a 400, 403)')
  })

  it('reports an error the verifier met instead of a response', () => {
    const error = { interaction: 'x', mismatch: { type: 'error', message: 'request timed out' } }
    expect(describeFailures({ result: false, errors: [error] })).toBe('request timed out')
  })
})
