import { describe, it, expect } from 'vitest'
import { expectEach, RequirementFailure, StepRecorder, withSteps } from './steps.js'

describe('expectEach', () => {
  it('records every requirement judged on one observation and ends on the first that failed', async () => {
    const recorder = new StepRecorder()
    const thrown = await withSteps(recorder, async () => {
      try {
        expectEach([
          ['OOB-S-NO-FOREIGN-TOKENS', false, 'another client got tokens'],
          ['OOB-S-OOB-CODE-CLIENT-BOUND', false, 'another client got 200'],
          ['OOB-S-INIT-FORM-POST', true, 'started'],
        ])
      } catch (e) {
        return e
      }
      return undefined
    })
    expect(thrown).toEqual(new RequirementFailure('OOB-S-NO-FOREIGN-TOKENS', 'another client got tokens'))
    expect(recorder.finish([]).map((v) => [v.requirement, v.status])).toEqual([
      ['OOB-S-NO-FOREIGN-TOKENS', 'failed'], ['OOB-S-OOB-CODE-CLIENT-BOUND', 'failed'], ['OOB-S-INIT-FORM-POST', 'passed'],
    ])
  })
})

describe('StepRecorder', () => {
  it('counts passes, keeps the first passing message, and lets a later failure win', () => {
    const recorder = new StepRecorder()
    recorder.pass('OOB-S-POLL-PENDING', 'first')
    recorder.pass('OOB-S-POLL-PENDING', 'second')
    expect(recorder.finish(['OOB-S-POLL-PENDING'])).toEqual([
      { requirement: 'OOB-S-POLL-PENDING', status: 'passed', message: 'first', passes: 2 },
    ])
    recorder.fail('OOB-S-POLL-PENDING', 'third got tokens')
    expect(recorder.finish([])[0]).toEqual({ requirement: 'OOB-S-POLL-PENDING', status: 'failed',
      message: 'third got tokens', passes: 2 })
  })
})
