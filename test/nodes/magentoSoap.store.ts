/**
 * A Magento SOAP store for nock tests: answers each request by its operation from a per-test script of recorded
 * answers (test/fixtures/magentoSoap/, recorded from the sandbox's emulator), and keeps every request for assertions.
 * Requests are read with fast-xml-parser directly, independently of the node's own XML code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { XMLParser } from 'fast-xml-parser';
import nock from 'nock';

export type Style = 'v1' | 'v2' | 'wsi';

export const STORE_URL = 'https://shop.example.com';
export const API_KEY = 'secret-api-key-1';

export function credentialsFor(style: Style, extra: Record<string, string> = {}) {
	return { magentoSoapApi: { storeUrl: STORE_URL, apiUser: 'n8n', apiKey: API_KEY, apiStyle: style, namespace: 'urn:OpenMage', ...extra } };
}

export function endpointPath(style: Style): string {
	return style === 'v1' ? '/api/soap/' : '/api/v2_soap/';
}

/** Memo 100000685 as the recorded answers describe it (refund of one tee of order 100000683). */
export const MEMO_685 = {
	provider: 'magentoSoap',
	creditMemoId: '100000685',
	number: '100000685',
	status: 'refunded',
	totalAmount: 25,
	currency: 'USD',
	// Recorded on the sandbox clock, a second apart per API style.
	createdAt: expect.stringMatching(/^2026-11-23T23:18:3\d\.000Z$/),
};

/** A recorded answer, e.g. fixture('v2', 'login'). */
export function fixture(style: Style, name: string): string {
	return readFileSync(join(__dirname, '../fixtures/magentoSoap', `${style}.${name}.xml`), 'utf8');
}

export interface SoapRequest {
	/** login, endSession, multiCall; the V1 resource path of a call; the V2 operation (WS-I without its Param suffix). */
	operation: string;
	body: string;
	headers: Record<string, string | string[] | undefined>;
	/** The operation element's children by name (V1 call: sessionId, resourcePath, args), as parsed text or objects. */
	params: Record<string, unknown>;
}

export interface Answer {
	status?: number;
	body?: string;
}

/**
 * The answer is lost: the web server in front of PHP gave up waiting (504), while PHP may still have saved.
 * (Dropped connections are covered against the sandbox, which really drops them.)
 */
export const GATEWAY_TIMEOUT: Answer = { status: 504, body: '<html><head><title>504 Gateway Time-out</title></head><body><h1>504 Gateway Time-out</h1></body></html>' };

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: false, trimValues: false });

function describe(body: string): { operation: string; params: Record<string, unknown> } {
	const envelope = parser.parse(body) as { Envelope: { Body: Record<string, Record<string, unknown>> } };
	const [element, params] = Object.entries(envelope.Envelope.Body).find(([key]) => !key.startsWith('@_')) as [string, Record<string, unknown>];
	const name = element.replace(/(Request)?Param$/, '');
	const text = (value: unknown) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['#text'] : value);
	return { operation: name === 'call' ? String(text(params.resourcePath)) : name, params };
}

/**
 * Answers per operation, in order; a request the script does not expect gets HTTP 418 so the test fails on it.
 * Faults are sent with HTTP 500, as PHP's SoapServer does.
 */
export function mockStore(style: Style, script: Record<string, Array<Answer | string>>) {
	const requests: SoapRequest[] = [];
	const queues = new Map(Object.entries(script).map(([operation, answers]) => [operation, [...answers]]));
	const scope = nock(STORE_URL)
		.persist()
		.post(endpointPath(style))
		.reply(function (_uri, body) {
			const text = String(body);
			const { operation, params } = describe(text);
			requests.push({ operation, body: text, headers: this.req.headers, params });
			const next = queues.get(operation)?.shift();
			if (next === undefined) return [418, `unexpected ${operation}`];
			const answer: Answer = typeof next === 'string' ? { body: next } : next;
			const status = answer.status ?? ((answer.body ?? '').includes('Fault>') ? 500 : 200);
			return [status, answer.body ?? '', { 'Content-Type': 'text/xml; charset=utf-8' }];
		});
	return {
		requests,
		operations: () => requests.map((request) => request.operation),
		/** Whether every scripted answer was used. */
		done: () => [...queues.values()].every((queue) => queue.length === 0),
		scope,
	};
}
