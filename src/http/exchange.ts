/**
 * One HTTP exchange as a check saw it: what the recording client writes for every request, and what the
 * reports show (secrets redacted by then).
 * @module
 */
/** One request and its response, or why no response came. */
export interface Exchange {
  /** What the exchange was for: an operation of the spec (`token`, …), `control`, `discovery` or `jwks`. */
  operation?: string
  request: { method: string; url: string; headers: Record<string, string>; body?: string }
  response?: { status: number; headers: Record<string, string>; body?: string; truncated?: boolean }
  /** Set when no response arrived: timeout, reset, too large, … */
  error?: string
  startedAt: string
  durationMs: number
}


/** The response body's JSON object members; none when there is no response or its body is not a JSON object. */
export function responseObject(exchange: Exchange): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(exchange.response?.body ?? '')
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {}
  } catch {
    return {}
  }
}
