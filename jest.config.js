/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', }],
	},
	setupFiles: ['<rootDir>/test/support/quietLogs.ts'],
	testTimeout: 30000,
	// n8n-core keeps the event loop busy after a workflow execution although no handle is left open.
	forceExit: true,
};
