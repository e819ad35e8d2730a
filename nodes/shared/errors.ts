import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ProviderKey } from './types';

/**
 * What we know about whether a failed write happened at the provider.
 * `failed`: the provider refused or never received it. `unknown`: it was sent and no answer came back,
 * so a memo may exist; retrying blindly could create a second one.
 */
export type Outcome = 'failed' | 'unknown';

export interface ProviderErrorFields {
	provider: ProviderKey;
	message: string;
	/** The provider's own code (Rebilly problem type/title, Zuora reason code, SOAP fault code, Salesforce errorCode). */
	code?: string;
	httpStatus?: number;
	description?: string;
	hint?: string;
	/** Safe to send again as is (the provider did not process it). */
	retryable?: boolean;
	outcome?: Outcome;
	/** False when the request never left (no connection, no token): nothing can have happened at the provider. */
	requestSent?: boolean;
	/** The provider's error body, for people who need every detail. Never holds request headers. */
	details?: unknown;
}

/** The provider said no (or did not answer). Becomes a NodeApiError at the node boundary. */
export class ProviderError extends Error {
	readonly provider: ProviderKey;
	readonly code?: string;
	readonly httpStatus?: number;
	readonly description?: string;
	readonly hint?: string;
	readonly retryable: boolean;
	readonly outcome: Outcome;
	readonly requestSent?: boolean;
	readonly details?: unknown;

	constructor(fields: ProviderErrorFields) {
		super(fields.message);
		this.name = 'ProviderError';
		this.provider = fields.provider;
		this.code = fields.code;
		this.httpStatus = fields.httpStatus;
		this.description = fields.description;
		this.hint = fields.hint;
		this.retryable = fields.retryable ?? false;
		this.outcome = fields.outcome ?? 'failed';
		this.requestSent = fields.requestSent;
		this.details = fields.details;
	}
}

/** The input is wrong; nothing was sent. Becomes a NodeOperationError naming the field. */
export class InputError extends Error {
	readonly field: string;
	readonly hint?: string;

	constructor(field: string, message: string, hint?: string) {
		super(message);
		this.name = 'InputError';
		this.field = field;
		this.hint = hint;
	}
}

/** The structured, secret-free summary of a failure that error items carry. */
export interface ErrorSummary extends IDataObject {
	message: string;
	description: string | null;
	code: string | null;
	httpStatus: number | null;
	provider: ProviderKey | null;
	field: string | null;
	retryable: boolean;
	outcome: Outcome;
	itemIndex: number;
}

export function summarizeError(error: unknown, itemIndex: number): ErrorSummary {
	if (error instanceof ProviderError) {
		return {
			message: error.message,
			description: joinDescription(error.description, error.hint),
			code: error.code ?? null,
			httpStatus: error.httpStatus ?? null,
			provider: error.provider,
			field: null,
			retryable: error.retryable,
			outcome: error.outcome,
			itemIndex,
		};
	}
	if (error instanceof InputError) {
		return {
			message: error.message,
			description: error.hint ?? null,
			code: null,
			httpStatus: null,
			provider: null,
			field: error.field,
			retryable: false,
			outcome: 'failed',
			itemIndex,
		};
	}
	const err = error as { message?: string; description?: string; httpCode?: string | null };
	return {
		message: err?.message ?? String(error),
		description: err?.description ?? null,
		code: null,
		httpStatus: err?.httpCode ? Number(err.httpCode) : null,
		provider: null,
		field: null,
		retryable: false,
		outcome: 'failed',
		itemIndex,
	};
}

/** Turns our domain errors into the n8n error classes, always with the item index. */
export function toNodeError(node: INode, error: unknown, itemIndex: number): Error {
	if (error instanceof ProviderError) {
		const context: JsonObject = {
			provider: error.provider,
			code: error.code ?? null,
			httpStatus: error.httpStatus ?? null,
			retryable: error.retryable,
			outcome: error.outcome,
		};
		// n8n replaces the message of an error whose `code` is a network code (ECONNRESET...) with its own advice to
		// retry, wrong for a write whose outcome is unknown: the code goes into the context only after construction.
		const nodeError = new NodeApiError(node, { provider: error.provider }, {
			message: error.message,
			description: joinDescription(error.description, error.hint) ?? undefined,
			httpCode: error.httpStatus !== undefined ? String(error.httpStatus) : undefined,
			itemIndex,
		});
		Object.assign(nodeError.context, context);
		return nodeError;
	}
	if (error instanceof InputError) {
		return new NodeOperationError(node, error.message, {
			description: error.hint,
			itemIndex,
		});
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

function joinDescription(description?: string, hint?: string): string | null {
	const parts = [description, hint].filter((part): part is string => !!part);
	return parts.length ? parts.join(' ') : null;
}
