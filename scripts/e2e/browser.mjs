// The editor in headless Chromium (Debian's chromium driven by playwright-core), as a user sees our nodes:
// login, every example, every node of ours with each provider (fields and credential change with it), a
// credential test, screenshots. Console errors that come from our nodes fail the run; n8n's own offline noise
// (its version check and news, which call api.n8n.io) does not.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { StepError } from '../lib/common.mjs';
import { OWNER } from '../lib/n8n.mjs';
import { PACKAGE } from '../lib/package.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Measured here (runtime-notes.md): headless Chromium in a container, offline.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWPORT = { width: 1440, height: 900 };
const OUR_TYPE_PREFIX = `${PACKAGE.name}.`;
const GALLERY_ID = 'cmE2eNodeGallery';

/** The three nodes' parameter panels the README shows (docs/screenshots/). */
export const README_SCREENSHOTS = ['create-credit-memo.png', 'bulk-credit-memos.png', 'add-memo-comment.png'];

const slug = (text) => text.replace(/([a-z])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();

/** Console messages and failed requests, sorted into ours (fail), expected offline noise (ignored) and other. */
function watchConsole(page) {
	const seen = { ours: [], other: [], offline: 0 };
	const ourMarkers = [PACKAGE.name, 'creditMemo', 'CreditMemo', 'credit-memo', 'MemoComment', 'rebillyApi'];
	const isOurs = (text) => ourMarkers.some((marker) => text.includes(marker));
	const isOffline = (text) => /ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|api\.n8n\.io|Can't connect to n8n|Failed to fetch (versions|Whats New)/.test(text);
	const sort = (text) => {
		if (isOurs(text)) seen.ours.push(text);
		else if (isOffline(text)) seen.offline++;
		else seen.other.push(text);
	};
	// The editor asks for a node's output schema (/schemas/<type>/<version>.json) to preview data of a node that
	// has not run; nodes that ship none (most, n8n's own If too) answer 404. That is a lookup, not an error.
	const isSchemaLookup = (url) => /\/schemas\/[^/]+\/[\d.]+(\/[^/]+)*\.json$/.test(url);
	page.on('console', (message) => {
		if (message.type() !== 'error') return;
		const location = message.location()?.url ?? '';
		// The app asks for its session before login: one 401 on /rest/login is how n8n's sign-in page works.
		if (/status of 401/.test(message.text()) && /\/rest\/login$/.test(location)) return;
		if (/status of 404/.test(message.text()) && isSchemaLookup(location)) return;
		sort(`${message.text()} ${location}`.trim());
	});
	page.on('pageerror', (error) => sort(`uncaught: ${error.message}\n${error.stack ?? ''}`));
	page.on('requestfailed', (request) => {
		if (new URL(request.url()).hostname !== '127.0.0.1') return seen.offline++;
		// A navigation cancels the loads of the page it leaves.
		if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
		sort(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`);
	});
	page.on('response', (response) => {
		const url = new URL(response.url());
		if (url.hostname !== '127.0.0.1' || response.status() < 400) return;
		if (url.pathname === '/rest/login' && response.status() === 401) return;
		if (response.status() === 404 && isSchemaLookup(url.pathname)) return;
		// Our icons and anything the editor asks about our node types or credentials count as ours.
		const text = `HTTP ${response.status()} ${response.request().method()} ${url.pathname}`;
		if (url.pathname.includes(PACKAGE.name) || url.pathname.startsWith('/rest/credentials') || url.pathname.startsWith('/rest/dynamic-node-parameters')) seen.ours.push(text);
		else sort(text);
	});
	return seen;
}

async function login(page, url) {
	await page.goto(`${url}/signin`);
	await page.fill('input[name="emailOrLdapLoginId"], input[type="email"]', OWNER.email);
	await page.fill('input[name="password"]', OWNER.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((target) => !target.pathname.startsWith('/signin'), { timeout: 30_000 });
}

async function openWorkflow(page, url, id) {
	await page.goto(`${url}/workflow/${id}`);
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
	// Let the canvas settle (fit to view, node issues computed), and close n8n's "Production Checklist" tip.
	await page.waitForTimeout(800);
	const tip = page.locator('[data-test-id="suggested-actions-close"]');
	if (await tip.isVisible()) await tip.click();
}

/** "Execute workflow" in the editor (a trigger's pinned data or one manual schedule tick) and its outcome. */
async function executeInEditor(page) {
	await page.locator('[data-test-id="execute-workflow-button"]').click();
	const succeeded = page.getByText('Workflow executed successfully');
	const failed = page.getByText(/Problem in node|Workflow execution had an error|execution failed/i);
	await Promise.race([succeeded.first().waitFor({ timeout: 90_000 }), failed.first().waitFor({ timeout: 90_000 })]);
	if (await failed.count()) {
		const text = await page.locator('.el-notification, [role="alert"]').allInnerTexts();
		throw new StepError(`"Execute workflow" in the editor failed: ${text.join(' | ').replace(/\s+/g, ' ').slice(0, 600)}`);
	}
	// The toast would sit on every screenshot that follows.
	for (const close of await page.locator('.el-notification__closeBtn').all()) await close.click().catch(() => undefined);
	await page.waitForTimeout(500);
}

async function openNode(page, name) {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	await page.waitForSelector('[data-test-id="ndv"] [data-test-id="node-parameters"]', { timeout: 20_000 });
	await page.waitForTimeout(500);
}

async function closeNode(page) {
	await page.locator('[data-test-id="ndv-close-button"]').click();
	await page.waitForSelector('[data-test-id="ndv"]', { state: 'hidden', timeout: 10_000 });
}

/**
 * Per provider key: `own`, its top-level fields shown by `provider` alone (they must be on the panel); `any`, every
 * top-level field it shows under some condition (a field another provider shares must not count as foreign);
 * `notices`, its notices (the only thing a provider shows where it does not offer an operation).
 */
function providerFields(description) {
	const byProvider = {};
	const entry = (key) => (byProvider[key] ??= { own: new Set(), any: new Set(), notices: [] });
	// The node opens with its defaults (e.g. Fields: Map Each Field Below), so a hide condition that the defaults
	// do not meet leaves the field shown.
	const defaults = Object.fromEntries(description.properties.map((property) => [property.name, property.default]));
	const hiddenByDefaults = (hide) => Object.entries(hide ?? {}).some(([key, values]) => values.includes(defaults[key]));
	for (const property of description.properties) {
		const show = property.displayOptions?.show;
		if (!show?.provider) continue;
		const onlyProvider = Object.keys(show).every((key) => key === 'provider') && !hiddenByDefaults(property.displayOptions?.hide);
		for (const key of show.provider) {
			entry(key).any.add(property.name);
			if (!onlyProvider) continue;
			if (property.type === 'notice') entry(key).notices.push(property.displayName);
			else if (['string', 'number', 'options', 'boolean', 'json', 'multiOptions'].includes(property.type)) entry(key).own.add(property.name);
		}
	}
	return byProvider;
}

/** What the parameter panel shows now: parameter names and the credential picked. */
async function panelState(page) {
	const parameters = await page
		.locator('[data-test-id="node-parameters"] [data-test-id^="parameter-input-"]')
		.evaluateAll((elements) => elements.filter((element) => element.offsetParent !== null).map((element) => element.getAttribute('data-test-id').replace('parameter-input-', '')));
	const credential = await page
		.locator('[data-test-id="node-credentials-select"] input')
		.first()
		.inputValue()
		.catch(() => undefined);
	return { parameters: new Set(parameters), credential };
}

/**
 * Switches the node's Provider as a user would. n8n's editor treats a parameter that decides which credential a
 * node uses as the node's main "authentication" field: if it is not on the panel, the provider follows the
 * credential picked in the Credential list (a credential of another provider's type switches it).
 */
async function switchProvider(page, provider, credential) {
	const providerInput = page.locator('[data-test-id="node-parameters"] [data-test-id="parameter-input-provider"]');
	if (await providerInput.isVisible()) {
		await providerInput.click();
		await page.locator('.el-select-dropdown__item, [role="option"]').filter({ hasText: new RegExp(`^\\s*${provider.name}\\s*$`) }).first().click();
	} else {
		await page.locator('[data-test-id="node-credentials-select"]').first().click();
		await page.locator(`[data-test-id="node-credentials-select-item-${credential.id}"]`).click();
	}
	await page.waitForTimeout(600);
}

export async function runBrowserChecks({ url, client, examples, credentials, screenshotsDir, check, running, resetSandbox }) {
	let page;
	let seen;
	const shot = async (file, locator) => {
		const target = path.join(screenshotsDir, file);
		if (locator) await locator.screenshot({ path: target });
		else await page.screenshot({ path: target });
		return target;
	};

	const { json: nodeTypes } = await client.get('/types/nodes.json');
	// n8n adds a "…Tool" variant of each usableAsTool node for AI agents; the nodes themselves are checked.
	const ours = nodeTypes.filter((description) => description.name.startsWith(OUR_TYPE_PREFIX) && !description.name.endsWith('Tool'));

	await check('editor: Chromium started, owner logged in', async () => {
		if (!existsSync(CHROMIUM)) throw new StepError(`No Chromium at ${CHROMIUM}`, 'apt-get install -y chromium (.ci/run does this), or set CHROMIUM_PATH.');
		running.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
		const context = await running.browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
		context.setDefaultTimeout(30_000);
		page = await context.newPage();
		seen = watchConsole(page);
		await login(page, url);
		if (!ours.length) throw new StepError(`n8n lists no node types ${OUR_TYPE_PREFIX}*: the community package did not load`, 'read the n8n log for "Failed to load package".');
	});
	if (!page) return;

	// Screenshots for the README: each node's panel in the first example that has it.
	const readmeShots = new Map(README_SCREENSHOTS.map((file) => [file, undefined]));
	const readmeFile = (type) => README_SCREENSHOTS.find((file) => file === `${slug(type.slice(OUR_TYPE_PREFIX.length))}.png`);

	for (const workflow of examples) {
		await check(`editor: example ${workflow.file} opens, runs with "Execute workflow", every node of ours opens`, async () => {
			await openWorkflow(page, url, workflow.id);
			const onCanvas = await page.locator('[data-test-id="canvas-node"]').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-node-name')));
			const expected = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote').map((node) => node.name);
			const missing = expected.filter((name) => !onCanvas.includes(name));
			if (missing.length) throw new StepError(`nodes missing on the canvas: ${missing.join(', ')}`);
			resetSandbox();
			await executeInEditor(page);
			const notRun = [];
			for (const node of workflow.nodes.filter((candidate) => candidate.type.startsWith(OUR_TYPE_PREFIX))) {
				if (!(await page.locator(`[data-test-id="canvas-node"][data-node-name="${node.name}"] [data-test-id="canvas-node-status-success"]`).count())) notRun.push(node.name);
			}
			if (notRun.length) throw new StepError(`after "Execute workflow" these nodes of ours show no success: ${notRun.join(', ')}`);
			await shot(`example-${slug(workflow.file.replace(/\.json$/, ''))}.png`);
			for (const node of workflow.nodes.filter((candidate) => candidate.type.startsWith(OUR_TYPE_PREFIX))) {
				const flagged = await page.locator(`[data-test-id="canvas-node"][data-node-name="${node.name}"] [data-test-id="node-issues"], [data-test-id="canvas-node"][data-node-name="${node.name}"] [data-test-id="canvas-node-status-warning"]`).count();
				if (flagged) throw new StepError(`node "${node.name}" is flagged with issues on the canvas (a parameter or credential n8n finds wrong)`);
				await openNode(page, node.name);
				const file = readmeFile(node.type);
				const target = await shot(`${slug(workflow.file.replace(/\.json$/, ''))}-${slug(node.name)}.png`, page.locator('[data-test-id="ndv"]'));
				if (file && !readmeShots.get(file)) {
					await shot(file, page.locator('[data-test-id="ndv"]'));
					readmeShots.set(file, target);
				}
				await closeNode(page);
			}
		});
	}

	// Every node type of ours, fresh from the node list, in a scratch workflow: the provider switch.
	const gallery = {
		id: GALLERY_ID,
		name: 'e2e: every credit memo node',
		nodes: [
			{ id: 'e2e-00', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			...ours.map((description, index) => {
				const defaultProvider = description.properties.find((property) => property.name === 'provider')?.default;
				const credentialType = description.credentials?.find((credential) => credential.displayOptions?.show?.provider?.includes(defaultProvider))?.name;
				const credential = credentials.find((candidate) => candidate.type === credentialType);
				return {
					id: `e2e-${String(index + 1).padStart(2, '0')}`,
					name: description.displayName,
					type: description.name,
					typeVersion: Array.isArray(description.version) ? Math.max(...description.version) : description.version,
					position: [260 * (index + 1), 0],
					parameters: {},
					...(credential ? { credentials: { [credential.type]: { id: credential.id, name: credential.name } } } : {}),
				};
			}),
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
	await client.post('/rest/workflows', gallery);

	for (const description of ours) {
		await check(`editor: ${description.displayName}: each provider shows its own fields and credential`, async () => {
			await openWorkflow(page, url, GALLERY_ID);
			await openNode(page, description.displayName);
			const providerProperty = description.properties.find((property) => property.name === 'provider');
			const providers = providerProperty?.options ?? [];
			if (!providers.length) throw new StepError(`${description.displayName} has no Provider options`);
			const fields = providerFields(description);
			const problems = [];
			// The default provider first (as the node opens), then every other one.
			const ordered = [...providers].sort((a, b) => (a.value === providerProperty.default ? -1 : b.value === providerProperty.default ? 1 : 0));
			for (const [index, provider] of ordered.entries()) {
				const credentialType = description.credentials.find((credential) => credential.displayOptions?.show?.provider?.includes(provider.value))?.name;
				const credential = credentials.find((candidate) => candidate.type === credentialType);
				if (!credential) {
					problems.push(`${provider.name}: no sandbox credential of type ${credentialType}`);
					continue;
				}
				if (index > 0) await switchProvider(page, provider, credential);
				const state = await panelState(page);
				const { own, any, notices } = fields[provider.value] ?? { own: new Set(), any: new Set(), notices: [] };
				const missing = [...own].filter((name) => !state.parameters.has(name));
				const foreign = Object.entries(fields)
					.filter(([key]) => key !== provider.value)
					.flatMap(([, other]) => [...other.own])
					.filter((name) => !any.has(name) && state.parameters.has(name));
				const noticesShown = [];
				for (const notice of notices) if (await page.locator('[data-test-id="node-parameters"]').getByText(notice.slice(0, 60), { exact: false }).count()) noticesShown.push(notice);
				if (!own.size && !notices.length) problems.push(`${provider.name}: the description has no fields or notices of its own to look for`);
				if (!own.size && notices.length && !noticesShown.length) problems.push(`${provider.name}: none of its notices is shown`);
				if (missing.length) problems.push(`${provider.name}: its fields ${missing.join(', ')} are not shown`);
				if (foreign.length) problems.push(`${provider.name}: other providers' fields ${[...new Set(foreign)].join(', ')} are shown`);
				if (state.credential !== credential.name) problems.push(`${provider.name}: the credential shown is "${state.credential}", expected "${credential.name}" (${credentialType})`);
				await shot(`node-${slug(description.name.slice(OUR_TYPE_PREFIX.length))}-${provider.value}.png`, page.locator('[data-test-id="ndv"]'));
			}
			if (providers.length === 1) console.log(`  (${description.displayName} offers one provider so far: ${providers[0].name}; nothing to switch to)`);
			const file = readmeFile(description.name);
			if (file && !readmeShots.get(file)) {
				await closeNode(page);
				await openNode(page, description.displayName);
				readmeShots.set(file, await shot(file, page.locator('[data-test-id="ndv"]')));
			}
			await closeNode(page);
			if (problems.length) throw new StepError(`${description.displayName}:\n  - ${problems.join('\n  - ')}`);
		});
	}

	for (const credential of credentials) {
		await check(`editor: credential "${credential.name}" tests successfully against the sandbox`, async () => {
			// n8n tests an existing credential when its dialog opens, through POST /rest/credentials/test.
			const tested = page.waitForResponse((response) => response.url().endsWith('/rest/credentials/test'), { timeout: 30_000 });
			await page.goto(`${url}/home/credentials/${credential.id}`);
			const response = await tested;
			const body = await response.json().catch(() => ({}));
			if (response.status() !== 200 || body.data?.status !== 'OK') throw new StepError(`the credential test answered ${response.status()}: ${JSON.stringify(body).slice(0, 400)}`);
			await page.waitForSelector('[data-test-id="credentials-config-container-test-success"]', { timeout: 15_000 });
			await shot(`credential-${slug(credential.type)}.png`, page.locator('[data-test-id="credential-edit-dialog"]'));
			await page.keyboard.press('Escape');
			await page.waitForTimeout(300);
		});
	}

	await check('editor: README screenshots taken, no console errors from our nodes', async () => {
		const missing = [...readmeShots].filter(([, taken]) => !taken).map(([file]) => file);
		if (missing.length) throw new StepError(`no screenshot for ${missing.join(', ')}`);
		if (seen.other.length) console.log(`  n8n's own console errors (not ours, not failing):\n    ${[...new Set(seen.other)].slice(0, 10).join('\n    ')}`);
		if (seen.ours.length) throw new StepError(`console errors from our nodes:\n  - ${[...new Set(seen.ours)].join('\n  - ')}`);
	});
}
