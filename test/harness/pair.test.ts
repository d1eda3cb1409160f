/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development code: runs in Node, never packed */
import * as fs from 'fs';
import * as path from 'path';

/** The version of the package a bare import resolves to here (jest's moduleNameMapper included). */
function versionOf(name: string): string {
	for (let dir = path.dirname(require.resolve(name)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (fs.existsSync(manifest)) {
			const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: string };
			if (version) return version;
		}
	}
	throw new Error(`no package.json above ${name}`);
}

/** Each jest project runs on the n8n-core/n8n-workflow pair it names (see jest.config.js). */
test('the tests run on the n8n-core and n8n-workflow pair of their project', () => {
	expect(`${versionOf('n8n-core')}/${versionOf('n8n-workflow')}`).toBe(process.env.SYMPHONY_N8N_CORE_PAIR ?? '2.11.1/2.11.1');
});
