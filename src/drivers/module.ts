/**
 * `--driver ./my-driver.js`: a module exporting any of `approve`, `deny`, `otp`, `expire` (named or on the default
 * export) with the signatures of `Driver`. Its functions are called as they are: with the `oob_code` and the
 * engine's `DriverCall` (check, loginHint, signal, http, and for approve bindingCode), and may throw
 * `DriverSkipped` to skip the check.
 * @module
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { OobConformanceError } from '../errors.js'
import { DRIVER_OPERATIONS, operationsOf, type Driver } from './driver.js'

export async function loadDriverModule(specifier: string, cwd = process.cwd()): Promise<Driver> {
  let mod: Record<string, unknown>
  try {
    mod = await import(pathToFileURL(resolve(cwd, specifier)).href)
  } catch (e) {
    throw new OobConformanceError('ERR_CONFIG_INVALID', `--driver ${specifier}: cannot load the module: ${(e as Error).message}`)
  }
  const source = (typeof mod.default === 'object' && mod.default !== null ? mod.default : mod) as Record<string, unknown>
  const driver: Driver = {}
  for (const op of [...DRIVER_OPERATIONS, 'close'] as const) {
    if (typeof source[op] === 'function') Object.assign(driver, { [op]: (source[op] as Function).bind(source) })
  }
  if (operationsOf(driver).length === 0) {
    throw new OobConformanceError(
      'ERR_CONFIG_INVALID',
      `--driver ${specifier}: the module exports none of ${DRIVER_OPERATIONS.join(', ')}; export at least one`,
    )
  }
  return driver
}
