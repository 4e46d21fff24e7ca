import { describe, it, expect } from 'vitest'
import { sampleRun } from '../sample-run.js'
import { renderJson } from './json.js'

describe('renderJson', () => {
  const run = sampleRun()
  const parsed = JSON.parse(renderJson(run))

  it('is the run itself, nothing added or lost', () => {
    expect(parsed).toEqual(run)
  })

  it('writes keys in the order DESIGN.md documents, whatever order the object was built in', () => {
    const shuffled = Object.fromEntries(Object.entries(run).reverse()) as typeof run
    const again = JSON.parse(renderJson({ ...shuffled, checks: run.checks.map((c) =>
      Object.fromEntries(Object.entries(c).reverse()) as typeof c) }))
    expect(Object.keys(again)).toEqual(['tool', 'target', 'profile', 'seed', 'startedAt', 'durationMs',
      'verdict', 'summary', 'checks', 'requirements', 'completeness'])
    expect(Object.keys(again.checks[3])).toEqual(['id', 'title', 'requirements', 'level', 'status', 'message',
      'reproduction', 'durationMs', 'expectedFailure', 'transcript'])
    expect(Object.keys(again.requirements[0])).toEqual(['id', 'level', 'status', 'checks', 'title', 'passes'])
  })
})
