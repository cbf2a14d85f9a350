/** Raw HTTP requests to a test hub, for tests that need to control headers, bodies and methods themselves. */
import type { TestHub } from '../support/test-hub.js';

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

export async function raw(url: string, init: RequestInit = {}): Promise<RawAnswer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}

/** POSTs a GraphQL operation as JSON with the given Authorization header (none when undefined). */
export function postWith(hub: TestHub, authorization: string | undefined, query: string, variables?: Record<string, unknown>): Promise<RawAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  return raw(hub.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
}

/** POSTs a GraphQL operation as JSON with a bearer token. */
export function postAs(hub: TestHub, token: string, query: string, variables?: Record<string, unknown>): Promise<RawAnswer> {
  return postWith(hub, `Bearer ${token}`, query, variables);
}

export const codeOf = (answer: { json?: any }): string | undefined => answer.json?.errors?.[0]?.extensions?.code;
