/** Shared helpers for the sandbox tests (HTTP through Node's global fetch). */
import { request as httpRequest } from 'node:http';

export interface JsonResponse<T = unknown> {
	status: number;
	headers: Headers;
	body: T;
	text: string;
}

export async function call<T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any
	url: string,
	init: { method?: string; headers?: Record<string, string>; json?: unknown; body?: string; form?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
	const headers: Record<string, string> = { ...(init.headers ?? {}) };
	let body = init.body;
	if (init.json !== undefined) {
		body = JSON.stringify(init.json);
		headers['Content-Type'] ??= 'application/json';
	}
	if (init.form) {
		body = new URLSearchParams(init.form).toString();
		headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
	}
	const response = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
	const text = await response.text();
	let parsed: unknown = text;
	if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
	return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/**
 * A raw request without fetch's connection pool, resolving with the socket error when the server drops the
 * connection (fetch wraps it as "fetch failed").
 */
export function rawRequest(
	url: string,
	options: { method: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string } | { error: NodeJS.ErrnoException }> {
	return new Promise((resolve) => {
		const req = httpRequest(url, { method: options.method, headers: options.headers, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', (error) => resolve({ error }));
		});
		req.on('error', (error) => resolve({ error }));
		req.end(options.body);
	});
}
