import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

const n8nRules = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

// A multi-provider package cannot be n8n Cloud verified, so the rule set without the Cloud-only rules is used.
export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.n8n-local/**', '.e2e/**', '**/*.js', '**/*.mjs'] },
	...tseslint.configs.recommended.map((config) => ({ ...config, files: ['**/*.ts'] })),
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		plugins: n8nRules.plugins,
		rules: { ...n8nRules.rules, 'no-console': 'error' },
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins: n8nRules.plugins,
		rules: {
			...n8nRules.rules,
			// DEVELOPERS.md allows exactly two runtime dependencies: fast-xml-parser (SOAP XML through a real
			// parser) and luxon (dates). The rule exists for n8n Cloud, which this multi-provider package cannot join.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
);
