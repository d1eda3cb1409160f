// The gate n8n's verification scanner applies: package.json, nodes/, credentials/ and the built dist/.
// Tests, scripts and benchmarks are outside it (they may use node:http, process, timers).
import tseslint from 'typescript-eslint';
import jsoncParser from 'jsonc-eslint-parser';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const n8nBase = { 'n8n-nodes-base': n8nNodesBase };

export default tseslint.config(
	{
		ignores: ['node_modules/**', 'test/**', 'scripts/**', 'bench/**', 'docs/**', 'examples/**', 'coverage/**', '*.js', '*.mjs', 'dist/**/*.d.ts', 'dist/**/*.map'],
	},
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
	},
	{
		files: ['**/*.ts', 'dist/**/*.js', 'package.json'],
		...communityNodes.configs.recommended,
	},
	{
		files: ['**/*.ts', 'dist/**/*.js'],
		rules: { 'no-console': 'error' },
	},
	{
		files: ['dist/**/*.js'],
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		plugins: n8nBase,
		rules: { ...n8nNodesBase.configs.community.rules },
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: n8nBase,
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// As in n8n's own node-cli config: full documentation URLs are fine for community credentials.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: n8nBase,
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Off in n8n's own node-cli config too: these predate NodeConnectionTypes and maxValue options.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
);
