/**
 * Expected failures: a checked-in list that lets CI adopt the suite gradually. A matched failure is reported
 * as a warning carrying the reason, so it stays visible without failing the build; entries expire, and
 * entries that no longer match anything are reported so the list shrinks as the server gets fixed.
 * @module
 */
import { readFile } from 'node:fs/promises'
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { parseYamlText } from '../config/yaml.js'
import { OobConformanceError } from '../errors.js'
import type { CheckResult, StepResult } from './model.js'

export interface ExpectedFailure {
  /** A check id such as `flows/push-happy-path`. Exactly one of `check` and `requirement` is set. */
  check?: string
  /** A requirement id such as `OOB-S-POLL-PENDING`: every check covering it may fail. */
  requirement?: string
  reason: string
  /** `YYYY-MM-DD`, the last day the entry applies. */
  expires?: string
}

export interface ExpectedFailureNotice {
  /**
   * `expired`: past its date, no longer applied. `now-passing`: the checks it names ran and none failed.
   * `not-run`: no check it names ran in this run (suite not selected, check skipped, or a typo).
   */
  kind: 'expired' | 'now-passing' | 'not-run'
  /** Position of the entry in the file, from 0, as in validation errors. */
  index: number
  entry: ExpectedFailure
  message: string
}

const schema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['reason'],
    properties: {
      check: { type: 'string', pattern: '^[a-z][a-z0-9-]*/\\S+$' },
      requirement: { type: 'string', pattern: '^OOB-[SC]-[A-Z0-9]+(-[A-Z0-9]+)*$' },
      reason: { type: 'string', minLength: 1 },
      expires: { type: 'string', format: 'date' },
    },
    oneOf: [{ required: ['check'] }, { required: ['requirement'] }],
  },
}

let validate: ReturnType<Ajv2020['compile']> | undefined

/** Reads a YAML or JSON expected-failures file (JSON is YAML too); an empty file means no entries. */
export async function loadExpectedFailures(path: string): Promise<ExpectedFailure[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    throw invalid(path, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  }
  return parseExpectedFailures(text, path)
}

/** Parses and validates the file's text; `source` names it in error messages. */
export function parseExpectedFailures(text: string, source: string): ExpectedFailure[] {
  let data: unknown
  try {
    data = parseYamlText(text, source) ?? []
  } catch (e) {
    throw new OobConformanceError('ERR_CONFIG_INVALID', `--expected-failures ${(e as Error).message}`)
  }
  if (!validate) {
    // verbose: errors carry the offending value; strictRequired would reject the oneOf-of-required idiom.
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false })
    addFormats.default(ajv)
    validate = ajv.compile(schema)
  }
  if (!validate(data)) throw invalid(source, describe(validate.errors ?? []))
  return data as ExpectedFailure[]
}

/**
 * Entries must name checks and requirements that exist: a typo would otherwise only show up as an entry that
 * "matched no check" after the whole run. `checks` are the ids of the suites loaded; an entry for a check of a
 * suite not loaded cannot be told from a typo, so it is left to the run's notice.
 */
export function checkExpectedFailureIds(entries: ExpectedFailure[], source: string,
  known: { checks: readonly string[]; suites: readonly string[]; requirement: (id: string) => boolean }): void {
  entries.forEach((entry, index) => {
    if (entry.requirement !== undefined && !known.requirement(entry.requirement)) {
      throw invalid(source, `entry ${index}: no requirement ${entry.requirement} in spec/requirements.yaml; ` +
        'use an id the reports list')
    }
    const suite = entry.check?.split('/')[0]
    if (entry.check === undefined || !known.suites.includes(suite!) || known.checks.includes(entry.check)) return
    const siblings = known.checks.filter((id) => id.startsWith(`${suite}/`))
    throw invalid(source, `entry ${index}: no check ${entry.check}; the ${suite} suite has ${siblings.join(', ')}`)
  })
}

function invalid(source: string, detail: string): OobConformanceError {
  return new OobConformanceError('ERR_CONFIG_INVALID', `--expected-failures ${source}: ${detail}`)
}

/** Ajv's messages, rephrased per entry: "entry 2: unknown key "chek"". */
function describe(errors: ErrorObject[]): string {
  const details = errors
    // The `required` errors inside `oneOf` repeat what the `oneOf` error below says better.
    .filter((e) => !e.schemaPath.includes('/oneOf/'))
    .map((e) => {
      const [, index, key] = e.instancePath.split('/')
      const at = index === undefined ? 'the file' : `entry ${index}`
      switch (e.keyword) {
        case 'type':
          if (key !== undefined) return `${at}: ${key} ${e.message}`
          return `${at} must be ${index === undefined ? 'a list' : 'an object'}`
        case 'additionalProperties':
          return `${at}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`
        case 'required':
          return `${at}: "${(e.params as { missingProperty: string }).missingProperty}" is required`
        case 'oneOf':
          return `${at}: give exactly one of "check" or "requirement"`
        case 'pattern':
          return key === 'check'
            ? `${at}: check "${String(e.data)}" is not a check id like flows/push-happy-path`
            : `${at}: requirement "${String(e.data)}" is not a requirement id like OOB-S-POLL-PENDING`
        case 'format':
          return `${at}: expires "${String(e.data)}" is not a date YYYY-MM-DD`
        default:
          return `${at}: ${key ?? ''} ${e.message}`.replace(/ +/g, ' ')
      }
    })
  return details.join('; ')
}

/**
 * Marks the failures an unexpired entry covers as expected, and reports entries that are expired or no longer
 * match. An entry for a check covers that check's failed steps; an entry for a requirement covers the failed
 * steps of that requirement only, in any check — never the other failures of those checks, so an entry for a
 * known defect does not hide the next regression. A check whose every failure is expected becomes a warning
 * with `expectedFailure` set. Apply it to the checks as the suites reported them, before `rollUp`.
 */
export function applyExpectedFailures(
  checks: CheckResult[],
  entries: ExpectedFailure[],
  today: Date | string,
): { checks: CheckResult[]; notices: ExpectedFailureNotice[] } {
  // Dates compare as strings in the YYYY-MM-DD form; a Date is taken in UTC, like CI clocks.
  const day = typeof today === 'string' ? today : today.toISOString().slice(0, 10)
  const notices: ExpectedFailureNotice[] = []
  const active: { entry: ExpectedFailure; index: number }[] = []
  entries.forEach((entry, index) => {
    if (entry.expires !== undefined && entry.expires < day) {
      notices.push({ kind: 'expired', index, entry, message:
        `expected failure for ${label(entry)} expired on ${entry.expires}; its failures count again` })
    } else {
      active.push({ entry, index })
    }
  })

  const covers = (entry: ExpectedFailure, check: CheckResult, requirement?: string) => entry.check !== undefined
    ? check.id === entry.check
    : requirement !== undefined ? requirement === entry.requirement : check.requirements.includes(entry.requirement!)
  const marker = (entry: ExpectedFailure) =>
    entry.expires === undefined ? { reason: entry.reason } : { reason: entry.reason, expires: entry.expires }
  const matched = new Set<ExpectedFailure>()
  const result = checks.map((check): CheckResult => {
    if (check.status !== 'failed') return check
    if (check.steps === undefined || check.errored) {
      // No steps to tell failures apart (client-check, verify-pact), or a failure that blames no requirement.
      const match = active.find(({ entry }) => covers(entry, check))
      if (!match) return check
      matched.add(match.entry)
      return { ...check, status: 'warning', message: `expected failure: ${check.message}`, expectedFailure: marker(match.entry) }
    }
    const steps = check.steps.map((step): StepResult => {
      if (step.status !== 'failed') return step
      const match = active.find(({ entry }) => covers(entry, check, step.requirement))
      if (!match) return step
      matched.add(match.entry)
      return { ...step, expectedFailure: marker(match.entry) }
    })
    const failed = steps.filter((s) => s.status === 'failed')
    const allExpected = failed.length > 0 && failed.every((s) => s.expectedFailure !== undefined)
    if (!allExpected) return { ...check, steps }
    return { ...check, steps, status: 'warning', message: `expected failure: ${check.message}`,
      expectedFailure: failed[0]!.expectedFailure! }
  })

  for (const { entry, index } of active) {
    if (matched.has(entry)) continue
    // Passing counts only where a step evaluated what the entry names: not reached or skipped is no news.
    const ran = checks.some((c) => c.status !== 'skipped' && (c.steps === undefined
      ? covers(entry, c)
      : c.steps.some((s) => s.status === 'passed' && covers(entry, c, s.requirement))))
    notices.push(ran
      ? { kind: 'now-passing', index, entry,
        message: `${label(entry)} no longer fails: remove its expected-failure entry` }
      : { kind: 'not-run', index, entry,
        message: `expected failure for ${label(entry)} matched no check in this run` })
  }
  return { checks: result, notices: notices.sort((a, b) => a.index - b.index) }
}

function label(entry: ExpectedFailure): string {
  return entry.check !== undefined ? `check ${entry.check}` : `requirement ${entry.requirement}`
}
