import { vi } from 'vitest';

export interface MockCall {
  method: string;
  path: string;
  search: string;
  body: unknown;
  headers: Headers;
}

type Handler = (call: MockCall) => { status?: number; body?: unknown } | Promise<{ status?: number; body?: unknown }>;

/**
 * Replaces global fetch with a route table: keys are "METHOD /path" (exact) and values answer
 * with `{status, body}`. Unknown routes answer 404 in the API's error format. Returns the calls.
 */
export function mockApi(routes: Record<string, Handler | { status?: number; body?: unknown }>) {
  const calls: MockCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url);
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const call: MockCall = { method: request.method, path: url.pathname, search: url.search, body, headers: request.headers };
    calls.push(call);
    const route = routes[`${request.method} ${url.pathname}`];
    const answer = typeof route === 'function' ? await route(call) : route;
    if (!answer) {
      return new Response(JSON.stringify({ error: { code: 'not_found', message: 'Не найдено' } }), {
        status: 404,
        headers: { 'Content-Type': 'application/json' },
      });
    }
    const status = answer.status ?? 200;
    return new Response(answer.body === undefined || status === 204 ? null : JSON.stringify(answer.body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}

export const apiError = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });
