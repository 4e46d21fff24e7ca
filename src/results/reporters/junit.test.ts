import { describe, it, expect } from 'vitest'
import type { RunResults } from '../model.js'
import { sampleRun } from '../sample-run.js'
import { renderJunit } from './junit.js'

interface Element {
  name: string
  attributes: Record<string, string>
  children: Element[]
  text: string
}

const decode = (s: string) => s.replace(/&(lt|gt|amp|quot|#39|#\d+);/g, (_, e: string) =>
  ({ lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'" } as Record<string, string>)[e]
    ?? String.fromCharCode(Number(e.slice(1))))

/** Just enough of an XML parser to prove a document well-formed and read it back; throws where XML would. */
function parseXml(xml: string): Element {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '')
  const root: Element = { name: '#document', attributes: {}, children: [], text: '' }
  const stack = [root]
  let at = 0
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const text = body.slice(at, m.index)
    if (/[<>]|&(?!(?:lt|gt|amp|quot|#\d+);)/.test(text)) throw new Error(`bad character data: ${text}`)
    stack.at(-1)!.text += decode(text)
    at = m.index + m[0].length
    const [, closing, name, attrs, selfClosing] = m
    if (closing) {
      if (stack.pop()?.name !== name) throw new Error(`mismatched </${name}>`)
      continue
    }
    const attributes: Record<string, string> = {}
    for (const [, key, value] of attrs!.matchAll(/([\w-]+)="([^"]*)"/g)) {
      if (/&(?!(?:lt|gt|amp|quot|#\d+);)/.test(value!)) throw new Error(`bad attribute: ${value}`)
      attributes[key!] = decode(value!)
    }
    const element: Element = { name: name!, attributes, children: [], text: '' }
    stack.at(-1)!.children.push(element)
    if (!selfClosing) stack.push(element)
  }
  if (body.slice(at).trim() !== '' || stack.length !== 1) throw new Error('unclosed element or trailing text')
  if (root.children.length !== 1) throw new Error('not exactly one root element')
  return root.children[0]!
}

describe('renderJunit', () => {
  const run = sampleRun()
  const doc = parseXml(renderJunit(run))

  it('nests a testsuite per suite and a testcase per check, with counts and times in seconds', () => {
    expect(doc.name).toBe('testsuites')
    expect(doc.attributes).toMatchObject({ tests: '6', failures: '2', skipped: '1', time: '12.480' })
    expect(doc.children.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures])).toEqual([
      ['flows', '4', '1'], ['properties', '1', '0'], ['schema', '1', '1'],
    ])
    const flows = doc.children[0]!.children
    expect(flows.map((c) => c.attributes.name)).toEqual(run.checks.filter((c) => c.id.startsWith('flows/'))
      .map((c) => `${c.id} — ${c.title}`))
    expect(flows[0]!.attributes).toMatchObject({ classname: 'flows', time: '5.120' })
  })

  it('lists level and requirement ids as properties', () => {
    const happy = doc.children[0]!.children[0]!
    expect(happy.children).toHaveLength(1)
    expect(happy.children[0]!.children.map((p) => [p.attributes.name, p.attributes.value])).toEqual([
      ['level', 'MUST'], ['status', 'passed'], ['requirement', 'OOB-S-INIT-OK'], ['requirement', 'OOB-S-POLL-APPROVED'],
    ])
  })

  it('reports failures with message and reproduction, skips with reason, warnings as output only', () => {
    const [, pending, firstPoll, sms] = doc.children[0]!.children
    const failure = pending!.children.find((c) => c.name === 'failure')!
    const check = run.checks[1]!
    expect(failure.attributes).toEqual({ message: check.message, type: 'MUST' })
    expect(failure.text).toBe(`${check.message}\n\n${check.reproduction}`)
    expect(firstPoll!.children.map((c) => c.name)).toEqual(['properties', 'system-out'])
    expect(firstPoll!.children[1]!.text).toMatch(/^warning: SHOULD not met: the first poll/)
    expect(sms!.children[1]).toEqual({ name: 'skipped', attributes: { message: `skipped: ${run.checks[4]!.message}` },
      children: [], text: '' })
    const expected = doc.children[1]!.children[0]!.children[1]!
    expect(expected.text)
      .toContain('expected because: legacy code generator, replaced in Q3 (until 2099-12-31)\n\ncurl ')
  })

  it('marks warnings and not-judged checks distinctly: a status property, never a plain pass', () => {
    const status = (testcase: typeof doc) => testcase.children[0]!.children
      .find((p) => p.attributes.name === 'status')!.attributes.value
    const [happy, pending, firstPoll, sms] = doc.children[0]!.children
    expect([happy, pending, firstPoll, sms].map((c) => status(c!))).toEqual(['passed', 'failed', 'warning', 'skipped'])
    const run = sampleRun()
    const notJudged: RunResults = { ...run, checks: [{ ...run.checks[4]!, message: 'not judged: no answer in time' }] }
    const testcase = parseXml(renderJunit(notJudged)).children[0]!.children[0]!
    expect(status(testcase)).toBe('not-judged')
    expect(testcase.children[1]).toMatchObject({ name: 'skipped', attributes: { message: 'not judged: no answer in time' } })
  })

  it('escapes markup, keeps newlines in attributes, and writes characters XML forbids visibly', () => {
    const hostile = 'got "<b>&amp;</b>"\nline two\u0001 \uD800'
    const run: RunResults = { ...sampleRun(), checks: [{ ...sampleRun().checks[5]!, title: '<title> & "more"',
      message: hostile }] }
    const xml = renderJunit(run)
    const testcase = parseXml(xml).children[0]!.children[0]!
    expect(testcase.attributes.name).toBe('schema/token-error-shape — <title> & "more"')
    const failure = testcase.children[1]!
    expect(failure.attributes.message).toBe('got "<b>&amp;</b>"\nline two\\u0001 \\ud800')
    expect(xml).not.toMatch(/[\u0001\uD800]/)
    expect(xml).toContain('line two\\u0001')
  })
})
