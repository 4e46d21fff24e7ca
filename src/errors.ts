/**
 * One error base class with stable string codes that reports and callers can key on.
 * @module
 */

export type OobErrorCode =
  | 'ERR_CONFIG_INVALID'
  | 'ERR_SPEC_INVALID'
  | 'ERR_SPEC_NO_VALIDATOR'
  | 'ERR_TARGET_UNREACHABLE'
  | 'ERR_TARGET_NOT_OAUTH'
  | 'ERR_HTTP_TIMEOUT'
  | 'ERR_HTTP_BODY_TOO_LARGE'
  | 'ERR_HTTP_PROTOCOL'
  | 'ERR_DRIVER_UNSUPPORTED'
  | 'ERR_DRIVER_FAILED'
  | 'ERR_USAGE'
  | 'ERR_SERVER_LISTEN'
  | 'ERR_OAUTH_ERROR'
  | 'ERR_OOB_EXPIRED'
  | 'ERR_BINDING_CODE_MISSING'
  | 'ERR_INVALID_RESPONSE'
  | 'ERR_TOKEN_TYPE_UNSUPPORTED'
  | 'ERR_ABORTED'
  | 'ERR_CLIENT_COMMAND'
  | 'ERR_CLIENT_SILENT'
  | 'ERR_PACT_INVALID'
  | 'ERR_PACT_VERIFIER'

export class OobConformanceError extends Error {
  readonly code: OobErrorCode

  constructor(code: OobErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'OobConformanceError'
    this.code = code
  }
}

export function isOobConformanceError(e: unknown, code?: OobErrorCode): e is OobConformanceError {
  return e instanceof OobConformanceError && (code === undefined || e.code === code)
}
