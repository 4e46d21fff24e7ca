/** A check's verdict: thrown by assertions with a message that reads as the report's one-line cause. */
export class CheckFailure extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CheckFailure'
  }
}

export function fail(message: string): never {
  throw new CheckFailure(message)
}

export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) fail(typeof message === 'function' ? message() : message)
}
