/**
 * The contract layer's public types.
 * @module
 */

import type { OpenAPIV3_1 } from 'openapi-types'
import type { Profile } from '../profile.js'

export type { Profile }

/** The operations of `spec/openapi.yaml`, by `operationId`. */
export type OperationId = 'oobAuthenticate' | 'primaryAuthenticate' | 'token'

export interface WireResponse {
  status: number
  /** Header names in any case. */
  headers: Record<string, string>
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown
}

/** One way a request or response departs from the spec, worded to be printed as one line of a report. */
export interface ContractProblem {
  where: 'status' | 'content-type' | 'header' | 'body'
  message: string
  /** JSON Pointer into the body, for body problems below the root. */
  pointer?: string
}

export interface RequestParameter {
  name: string
  required: boolean
  enum?: string[]
  const?: string
}

export interface Contract {
  operation(id: OperationId): { method: 'post'; path: string }
  /** Statuses the spec documents for the operation: under `profile`, or under any profile when omitted. */
  documentedStatuses(id: OperationId, profile?: Profile): number[]
  /** [] when the response conforms. `profile` defaults to `okta`. */
  validateResponse(
    id: OperationId,
    res: WireResponse,
    opts?: { profile?: Profile; basicAuthUsed?: boolean },
  ): ContractProblem[]
  /** Form values as they arrive on the wire; [] when the request conforms. `profile` defaults to `okta`. */
  validateRequest(
    id: OperationId,
    form: Record<string, string>,
    opts?: { profile?: Profile },
  ): ContractProblem[]
  /** The `error` codes the operation may answer with `status` under `profile` (default `okta`). */
  errorCodes(id: OperationId, status: number, profile?: Profile): string[]
  /** The form parameters of the operation's request; `required` as under `profile` (default `okta`). */
  requestParameters(id: OperationId, profile?: Profile): RequestParameter[]
  document: OpenAPIV3_1.Document
}
