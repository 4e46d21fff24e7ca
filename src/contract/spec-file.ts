/**
 * Reading the spec file. `spec/` is not copied into `dist/`; callers locate it from the package root.
 * @module
 */

import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { OobConformanceError } from '../errors.js'

export function readSpec(file: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (cause) {
    throw new OobConformanceError('ERR_SPEC_INVALID', `cannot read ${file}`, { cause })
  }
  try {
    return parse(text)
  } catch (cause) {
    throw new OobConformanceError('ERR_SPEC_INVALID', `${file} is not valid YAML`, { cause })
  }
}
