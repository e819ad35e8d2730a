import type { LedgerEntry, ProviderKey } from '../types';

function escapeHtml(value: unknown): string {
	return String(value ?? '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

function truncate(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The ledger for a person: one table per provider, no external assets, refreshes itself every 5 s. */
export function renderLedgerPage(baseUrl: string, providers: ProviderKey[], entries: LedgerEntry[]): string {
	const sections = providers.map((provider) => {
		const rows = entries.filter((entry) => entry.provider === provider);
		const body = rows.length
			? rows
					.map(
						(entry) => `<tr${entry.responseDropped ? ' class="dropped"' : ''}>
<td>${escapeHtml(entry.createdAt)}</td><td><code>${escapeHtml(entry.creditMemoId)}</code></td><td>${escapeHtml(entry.number)}</td>
<td>${escapeHtml(entry.source)}</td><td class="num">${escapeHtml(entry.totalAmount)}</td><td>${escapeHtml(entry.reference)}</td>
<td>${escapeHtml(entry.operation)}</td><td><code>${escapeHtml(entry.request.method)} ${escapeHtml(entry.request.path)}</code>
<details><summary>body</summary><pre>${escapeHtml(truncate(entry.request.body, 4000))}</pre></details></td>
<td>${entry.responseDropped ? 'dropped' : 'answered'}</td></tr>`,
					)
					.join('\n')
			: '<tr><td colspan="9" class="empty">No credit memos yet.</td></tr>';
		return `<section><h2>${escapeHtml(provider)} <small>(${rows.length})</small></h2>
<table><thead><tr><th>Created</th><th>Memo ID</th><th>Number</th><th>Source</th><th>Total</th><th>Reference</th><th>Operation</th><th>Request</th><th>Response</th></tr></thead>
<tbody>${body}</tbody></table></section>`;
	});
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Credit memo sandbox: ledger</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f4f4f4}.num{text-align:right}.empty{color:#888}
tr.dropped{background:#fff4e0}pre{white-space:pre-wrap;max-width:40rem;margin:.3rem 0}
small{color:#666;font-weight:normal}
</style></head><body>
<h1>Credit memo sandbox</h1>
<p>${escapeHtml(entries.length)} credit memo(s) created. Base URL <code>${escapeHtml(baseUrl)}</code>.
JSON: <a href="/__admin/ledger">/__admin/ledger</a>, state: <a href="/__admin/state">/__admin/state</a>.
Rows marked "dropped" were committed but their response was dropped by a fault.</p>
${sections.join('\n')}
</body></html>`;
}
