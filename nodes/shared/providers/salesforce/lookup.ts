import { ProviderError } from '../../errors';
import type { Session } from '../../types';
import { classify } from './errors';
import { toId18 } from './ids';
import { select } from './soql';
import type { CreditMemoLineRow, OrderItemRow, QueryResult } from './types';

/** IDs per IN list: keeps each query URL far below Salesforce's 16,384-character URI limit. */
const IDS_PER_QUERY = 200;

export interface ExistingCreditMemo {
	creditMemoId: string;
	/** The requested change orders this memo credits. */
	changeOrderIds: string[];
	/** It also credits change orders that were not requested. */
	coversOthers: boolean;
}

/** Runs a SOQL query through the REST `query` resource, following `nextRecordsUrl` until done. */
export async function query<TRecord>(session: Session, soql: string): Promise<TRecord[]> {
	const base = await session.baseUrl();
	const records: TRecord[] = [];
	let request: { url: string; qs?: Record<string, string> } = { url: `${base}/query`, qs: { q: soql } };
	for (;;) {
		const response = await session.send({ method: 'GET', url: request.url, qs: request.qs, headers: {} }, { safety: 'read', classify });
		const page = (response.body ?? {}) as QueryResult<TRecord>;
		records.push(...(page.records ?? []));
		if (page.done !== false || !page.nextRecordsUrl) return records;
		// nextRecordsUrl is a path on the instance (/services/data/vXX.X/query/<cursor>); anything else could send
		// the token to another host, so it is not followed.
		if (typeof page.nextRecordsUrl !== 'string' || !page.nextRecordsUrl.startsWith('/services/data/')) {
			throw new ProviderError({
				provider: 'salesforce',
				message: `Salesforce answered a query with a next page link that is not an API path: ${String(page.nextRecordsUrl).slice(0, 100)}`,
				code: 'UNEXPECTED_NEXT_RECORDS_URL',
				hint: 'Check that the credential points at your Salesforce org and not at a proxy that rewrites its answers.',
			});
		}
		request = { url: `${base.replace(/\/services\/data\/v[^/]+$/, '')}${page.nextRecordsUrl}` };
	}
}

async function queryIn<TRecord>(session: Session, fields: readonly string[], object: string, field: string, values: readonly string[]): Promise<TRecord[]> {
	const records: TRecord[] = [];
	for (let start = 0; start < values.length; start += IDS_PER_QUERY) {
		records.push(...(await query<TRecord>(session, select({ fields, from: object, where: [{ field, operator: 'IN', value: values.slice(start, start + IDS_PER_QUERY) }] }))));
	}
	return records;
}

/** Query results carry 18-character IDs; normalised anyway so a comparison never depends on the form. */
function canonical(id: string | null | undefined): string | null {
	return id ? (toId18(id) ?? id) : null;
}

/**
 * The credit memos that already credit any of these change orders. A credit memo line references the change
 * order's order product (OrderItem) it credits (CreditMemoLine.ReferenceEntityItemId), so: the change orders'
 * items, the lines that reference them, then every line of those memos (to see what else each one credits).
 */
export async function findCreditMemos(session: Session, changeOrderIds: readonly string[]): Promise<ExistingCreditMemo[]> {
	const items = await queryIn<OrderItemRow>(session, ['Id', 'OrderId'], 'OrderItem', 'OrderId', changeOrderIds);
	const changeOrderOfItem = new Map(items.map((item) => [canonical(item.Id), canonical(item.OrderId)]));
	if (!changeOrderOfItem.size) return [];
	const lineFields = ['CreditMemoId', 'ReferenceEntityItemId'];
	const matching = await queryIn<CreditMemoLineRow>(session, lineFields, 'CreditMemoLine', 'ReferenceEntityItemId', [...changeOrderOfItem.keys()].filter((id): id is string => !!id));
	const memoIds = [...new Set(matching.map((line) => canonical(line.CreditMemoId)).filter((id): id is string => !!id))];
	if (!memoIds.length) return [];
	const lines = await queryIn<CreditMemoLineRow>(session, lineFields, 'CreditMemoLine', 'CreditMemoId', memoIds);
	return memoIds.map((creditMemoId) => {
		const references = lines.filter((line) => canonical(line.CreditMemoId) === creditMemoId).map((line) => canonical(line.ReferenceEntityItemId));
		const covered = references.map((item) => (item ? changeOrderOfItem.get(item) : undefined));
		return {
			creditMemoId,
			changeOrderIds: changeOrderIds.filter((id) => covered.includes(id)),
			coversOthers: references.some((item, index) => item !== null && covered[index] === undefined),
		};
	});
}
