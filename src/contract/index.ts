/**
 * The contract layer: what `spec/openapi.yaml` allows, as validators and queries.
 * @module
 */

export { createContract, loadContract } from './contract.js'
export type {
  Contract,
  ContractProblem,
  OperationId,
  Profile,
  RequestParameter,
  WireResponse,
} from './types.js'
