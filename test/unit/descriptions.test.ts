import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INodeProperties } from 'n8n-workflow';

import { PROVIDERS } from '../../nodes/shared/registry';
import { PACKAGE_CREDENTIALS, PACKAGE_NODES } from '../harness/package';

const root = path.resolve(__dirname, '../..');
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function walk(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => [
		property,
		...walk((property.options ?? []).flatMap((option) => ('values' in option ? option.values : 'displayName' in option && 'type' in option ? [option as INodeProperties] : []))),
	]);
}

describe('node and credential descriptions (contract)', () => {
	it('package.json lists exactly the node and credential files that exist', () => {
		const nodeFiles = fs.readdirSync(path.join(root, 'nodes'), { recursive: true }).map(String).filter((file) => file.endsWith('.node.ts'));
		const credentialFiles = fs.readdirSync(path.join(root, 'credentials')).filter((file) => file.endsWith('.credentials.ts'));
		expect([...packageJson.n8n.nodes].sort()).toEqual(nodeFiles.map((file) => `dist/nodes/${file.replace(/\.ts$/, '.js')}`).sort());
		expect([...packageJson.n8n.credentials].sort()).toEqual(credentialFiles.map((file) => `dist/credentials/${file.replace(/\.ts$/, '.js')}`).sort());
		expect(PACKAGE_NODES).toHaveLength(nodeFiles.length);
		expect(PACKAGE_CREDENTIALS).toHaveLength(credentialFiles.length);
	});

	it('every provider a node offers has its credential declared by the package and offered by the node, gated on its provider', () => {
		const credentialNames = PACKAGE_CREDENTIALS.map((credential) => credential.name);
		for (const node of PACKAGE_NODES) {
			const offered = (node.description.properties.find((property) => property.name === 'provider')?.options ?? []).map((option) => (option as { value: string }).value);
			expect(offered.length).toBeGreaterThan(0);
			for (const provider of PROVIDERS.filter((candidate) => offered.includes(candidate.key))) {
				expect(credentialNames).toContain(provider.credentialType);
				expect(node.description.credentials).toContainEqual({
					name: provider.credentialType,
					required: true,
					displayOptions: { show: { provider: [provider.key] } },
				});
			}
		}
	});

	it('every provider field is shown only for its provider', () => {
		for (const node of PACKAGE_NODES) {
			const common = ['provider', 'fieldMapping', 'refundReference', 'options', 'returnAll', 'limit', 'simplify'];
			const providerSpecific = node.description.properties.filter((property) => !common.includes(property.name));
			for (const property of providerSpecific) {
				expect(property.displayOptions?.show?.provider).toHaveLength(1);
			}
		}
	});

	it('a parameter name shared by several providers always has the same type', () => {
		for (const node of PACKAGE_NODES) {
			const types = new Map<string, string>();
			for (const property of walk(node.description.properties)) {
				const known = types.get(property.name);
				if (known) expect(`${property.name}: ${property.type}`).toBe(`${property.name}: ${known}`);
				types.set(property.name, property.type);
			}
		}
	});

	it('option values are camelCase identifiers, never display text', () => {
		for (const node of PACKAGE_NODES) {
			for (const property of walk(node.description.properties)) {
				if (property.type !== 'options') continue;
				for (const option of property.options ?? []) {
					expect(String((option as { value: unknown }).value)).toMatch(/^[a-z][a-zA-Z0-9-]*$/);
				}
			}
		}
	});

	it('every node can be an AI tool and has light and dark icons', () => {
		for (const node of PACKAGE_NODES) {
			expect(node.description.usableAsTool).toBe(true);
			const icon = node.description.icon as { light: string; dark: string };
			for (const file of [icon.light, icon.dark]) {
				expect(fs.existsSync(path.join(root, 'icons', path.basename(file.replace('file:', ''))))).toBe(true);
			}
		}
	});
});
