import { OobConformanceError, type OobErrorCode } from '../errors.js'

/**
 * Why a sign-in failed. `code` is stable: `ERR_OAUTH_ERROR` (the server answered an error: denied, expired,
 * …; see `error`), `ERR_OOB_EXPIRED` (`expires_in` elapsed before the user acted),
 * `ERR_BINDING_CODE_MISSING`, `ERR_INVALID_RESPONSE`, `ERR_TOKEN_TYPE_UNSUPPORTED`, `ERR_TARGET_UNREACHABLE`,
 * `ERR_HTTP_TIMEOUT`, `ERR_ABORTED`, `ERR_USAGE`.
 */
export class OobClientError extends OobConformanceError {
  /** The OAuth `error` (or Okta `errorCode`) the server answered, for `ERR_OAUTH_ERROR`. */
  readonly error?: string
  readonly errorDescription?: string
  /** The HTTP status of the answer, when there was one. */
  readonly status?: number

  constructor(code: OobErrorCode, message: string,
    details: { error?: string; errorDescription?: string; status?: number; cause?: unknown } = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'OobClientError'
    if (details.error !== undefined) this.error = details.error
    if (details.errorDescription !== undefined) this.errorDescription = details.errorDescription
    if (details.status !== undefined) this.status = details.status
  }
}
