import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import type { HarnessRun } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeSettings } from '../harness/workflows';
import type { FaultScenario } from './scenarios';
import { SCENARIOS } from './scenarios';

/**
 * The exactly-once proof (issue 7): per provider, hundreds of creates through Create (one per item) and Bulk,
 * under mixed faults, with Retry On Fail on where the provider allows it, then the same input run again.
 * Then: no reference has two memos (duplicates 0), and every input item is accounted for in the last run's
 * output: a memo, or a failure saying whether the memo may exist (lost 0). No output contains a secret.
 */
const PER_NODE = Number(process.env.FAULT_SUITE_PER_NODE ?? 300);

interface Row {
	provider: string;
	attempted: number;
	created: number;
	duplicates: number;
	failed: number;
	unknown: number;
	lost: number;
	secretsFound: number;
	seconds?: number;
}

const rows: Row[] = [];
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 7 });
});
afterAll(async () => {
	await sandbox.stop();
	console.log(`Exactly-once under faults (${PER_NODE} Create + ${PER_NODE} Bulk refunds per provider, each run twice)\n${table(rows)}`);
});

describe.each(SCENARIOS)('exactly once under faults: $provider', (scenario) => {
	it(`creates at most one memo per refund and accounts for every item`, async () => {
		const started = Date.now();
		sandbox.reset(7);
		sandbox.setFaults(scenario.faults);
		const credentials = scenario.credentials(sandbox);
		const outputs: HarnessRun[] = [];

		const single = scenario.inputs(`${scenario.provider}-single`, PER_NODE);
		const createWorkflow = withNodeSettings(scenario.createWorkflow.workflow, scenario.createWorkflow.node, {
			...(scenario.retryOnFail ? { retryOnFail: true, maxTries: 5, waitBetweenTries: 100 } : {}),
			onError: 'continueRegularOutput',
		});
		const createAccount = await runTwice(createWorkflow, single, credentials, outputs, scenario, (run) => ({
			succeeded: run.output(scenario.createWorkflow.node).filter((item) => !item.json.error),
			failed: run.output(scenario.createWorkflow.node).filter((item) => item.json.error),
		}));

		const bulk = scenario.inputs(`${scenario.provider}-bulk`, PER_NODE);
		const bulkAccount = await runTwice(scenario.bulkWorkflow.workflow, bulk, credentials, outputs, scenario, (run) => ({
			succeeded: run.output(scenario.bulkWorkflow.node, 0),
			failed: run.output(scenario.bulkWorkflow.node, 1),
		}));

		sandbox.clearFaults();
		const references = [...single, ...bulk].map((input) => String(input.returnId));
		const memosPerReference = new Map<string, number>();
		for (const entry of sandbox.ledger(scenario.provider)) {
			const reference = scenario.referenceOf(entry);
			if (reference) memosPerReference.set(reference, (memosPerReference.get(reference) ?? 0) + 1);
		}
		const accounted = new Map([...createAccount, ...bulkAccount]);
		const serialized = JSON.stringify(outputs.map((run) => run.run.data.resultData));
		const row: Row = {
			provider: scenario.provider,
			attempted: references.length,
			created: references.filter((reference) => memosPerReference.has(reference)).length,
			duplicates: [...memosPerReference.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0),
			failed: references.filter((reference) => accounted.get(reference) === 'failed').length,
			unknown: references.filter((reference) => accounted.get(reference) === 'unknown').length,
			lost: references.filter((reference) => !accounted.has(reference)).length,
			secretsFound: scenario.secrets(sandbox).filter((secret) => serialized.includes(secret)).length,
		};
		rows.push({ ...row, seconds: Math.round((Date.now() - started) / 100) / 10 });

		expect(row.duplicates).toBe(0);
		expect(row.lost).toBe(0);
		expect(row.secretsFound).toBe(0);
		// A refund reported as created must exist, and one reported as failed must not.
		for (const reference of references) {
			if (accounted.get(reference) === 'created') expect([reference, memosPerReference.get(reference)]).toEqual([reference, 1]);
			if (accounted.get(reference) === 'failed') expect([reference, memosPerReference.get(reference)]).toEqual([reference, undefined]);
		}
	}, 240_000);
});

type Account = 'created' | 'failed' | 'unknown';

/** Runs the workflow, then runs it again with the same input; the second run's output is the account. */
async function runTwice(
	workflow: Parameters<typeof runWorkflow>[0],
	inputs: IDataObject[],
	credentials: Record<string, ICredentialDataDecryptedObject>,
	outputs: HarnessRun[],
	scenario: FaultScenario,
	split: (run: HarnessRun) => { succeeded: INodeExecutionData[]; failed: INodeExecutionData[] },
): Promise<Map<string, Account>> {
	let account = new Map<string, Account>();
	let toRun = inputs;
	for (let round = 0; round < 2; round++) {
		const started = Date.now();
		const run = await runWorkflow(workflow, { input: toRun, credentials });
		if (process.env.FAULT_SUITE_VERBOSE) console.log(`${scenario.provider} round ${round}: ${toRun.length} items in ${Date.now() - started} ms`);
		outputs.push(run);
		expect(run.error()).toBeUndefined();
		const { succeeded, failed } = split(run);
		const roundAccount = new Map<string, Account>();
		for (const item of succeeded) roundAccount.set(String(toRun[pairedIndex(item)].returnId), 'created');
		for (const item of failed) {
			const error = (item.json.details ?? item.json.error) as IDataObject;
			roundAccount.set(String(toRun[pairedIndex(item)].returnId), error.outcome === 'unknown' ? 'unknown' : 'failed');
		}
		account = new Map([...account, ...roundAccount]);
		// Where nothing recognises a memo already created, only refunds known to have failed are sent again.
		toRun = scenario.retryOnFail ? inputs : toRun.filter((input) => roundAccount.get(String(input.returnId)) === 'failed');
		if (!toRun.length) break;
	}
	return account;
}

function pairedIndex(item: INodeExecutionData): number {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	if (typeof paired !== 'object' || paired === null) throw new Error('an output item without pairedItem');
	return paired.item;
}

function table(data: Row[]): string {
	const headers: Array<keyof Row> = ['provider', 'attempted', 'created', 'duplicates', 'failed', 'unknown', 'lost', 'secretsFound', 'seconds'];
	const lines = [headers, ...data.map((row) => headers.map((header) => String(row[header])))];
	const widths = headers.map((_, column) => Math.max(...lines.map((line) => String(line[column]).length)));
	return lines.map((line) => `| ${line.map((cell, column) => String(cell).padEnd(widths[column])).join(' | ')} |`).join('\n');
}
