import { OobConformanceError } from '../errors.js'

/** A whole number ≥ `min` from a CLI option, or a usage error naming the option. */
export function integerOption(name: string, value: string, min: number): number {
  // Digits only: Number() would also take '' (as 0), ' ', '0x10' and '1e3'.
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN
  if (!Number.isInteger(n) || n < min) {
    throw new OobConformanceError('ERR_USAGE', `${name} "${value}" must be a whole number ≥ ${min}`)
  }
  return n
}
