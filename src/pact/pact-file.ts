/**
 * Pact files as this tool reads them: just enough structure to list interactions, name their provider states
 * and hand one interaction at a time to the verifier. Everything else is passed through untouched.
 * @module
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { OobConformanceError } from '../errors.js'

export interface ProviderState {
  name: string
  params?: Record<string, unknown>
}

export interface PactInteraction {
  description: string
  /** Pact V3 and V4. */
  providerStates?: ProviderState[]
  /** Pact V1 and V2: a single state. */
  providerState?: string
  /** Pact V4: `Synchronous/HTTP` for the request/response interactions this tool verifies. */
  type?: string
  request?: { method?: string; path?: string; headers?: Record<string, unknown>; body?: unknown }
  response?: { status?: number; headers?: Record<string, unknown>; body?: unknown }
  [key: string]: unknown
}

export interface Pact {
  consumer: { name: string }
  provider: { name: string }
  interactions: PactInteraction[]
  metadata?: Record<string, unknown>
  [key: string]: unknown
}

export interface PactSource {
  file: string
  pact: Pact
}

const invalid = (file: string, why: string) => new OobConformanceError('ERR_PACT_INVALID', `${file}: ${why}`)

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function hasName(value: unknown): boolean {
  return isObject(value) && typeof value.name === 'string'
}

export function parsePact(file: string, text: string): Pact {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    throw invalid(file, `not JSON (${(e as Error).message})`)
  }
  if (!isObject(data) || !hasName(data.consumer) || !hasName(data.provider)) {
    throw invalid(file, 'not a pact file: it needs consumer.name and provider.name')
  }
  // Pact V4 message pacts keep their messages under `interactions` too; V3 message pacts use `messages`.
  if (!Array.isArray(data.interactions)) throw invalid(file, 'has no "interactions" array (a message pact?)')
  data.interactions.forEach((interaction, i) => {
    if (!isObject(interaction) || typeof interaction.description !== 'string') {
      throw invalid(file, `interactions[${i}] has no description`)
    }
  })
  return data as Pact
}

/** A pact file, or every `*.json` file of a directory (not recursive), in name order. */
export function loadPacts(fileOrDir: string): PactSource[] {
  let files: string[]
  try {
    files = statSync(fileOrDir).isDirectory()
      ? readdirSync(fileOrDir).filter((f) => f.endsWith('.json')).sort().map((f) => join(fileOrDir, f))
      : [fileOrDir]
  } catch (e) {
    throw new OobConformanceError('ERR_USAGE', `${fileOrDir}: no such file or directory ` +
      `(${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  }
  if (files.length === 0) {
    throw new OobConformanceError('ERR_USAGE', `${fileOrDir}: no pact files (*.json) in it`)
  }
  return files.map((file) => {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (e) {
      throw invalid(file, `cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
    }
    return { file, pact: parsePact(file, text) }
  })
}

export function stateNames(interaction: PactInteraction): string[] {
  if (interaction.providerStates) return interaction.providerStates.map((s) => s.name)
  return interaction.providerState ? [interaction.providerState] : []
}

/** Request/response interactions; messages and plugin interactions are not this tool's business. */
export function isHttpInteraction(interaction: PactInteraction): boolean {
  const typed = interaction.type === undefined || interaction.type === 'Synchronous/HTTP'
  return typed && isObject(interaction.request) && isObject(interaction.response)
}

/** Writes a copy of `pact` holding only `interaction` (same consumer, provider and metadata) into `dir`. */
export function writeSingleInteraction(pact: Pact, interaction: PactInteraction, dir: string): string {
  const file = join(dir, 'interaction.json')
  writeFileSync(file, JSON.stringify({ ...pact, interactions: [interaction] }))
  return file
}

/** A stable, readable id part for an interaction: `poll after approval` → `poll-after-approval`. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'interaction'
}
