// The checks n8n's verification scanner (@n8n/scan-community-package) runs, for `npm run lint`.
// n8n's own tooling does not read this file: `n8n-node lint` uses eslint.config.mjs, n8n's default config,
// which ignores dist/. The scanner lints two things, with inline eslint comments switched off
// (run this config with --no-inline-config):
// - the source at the published commit: package.json and {nodes,credentials}/**/*.{js,ts,json};
// - the packed package: its package.json and every .js file, i.e. the built dist/.
import tseslint from 'typescript-eslint';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

export default [
	{
		ignores: ['dist/**/*.d.ts', 'dist/**/*.map', 'dist/**/*.json'],
	},
	{
		files: ['package.json', 'nodes/**/*.{js,ts,json}', 'credentials/**/*.{js,ts,json}', 'dist/**/*.js'],
		...communityNodes.configs.recommended,
	},
	{
		files: ['package.json', 'nodes/**/*.{js,ts,json}', 'credentials/**/*.{js,ts,json}', 'dist/**/*.js'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { 'no-console': 'error' },
	},
	{
		files: ['package.json'],
		rules: { ...n8nNodesBase.configs.community.rules },
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		files: ['**/*.json', '**/*.ts'],
		languageOptions: { parser: tseslint.parser },
	},
];
