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
	// The end-to-end files mostly wait on n8n (starting, polling once a minute): two at a time, a cold
	// `npm test` stays within 20 minutes on 2 cores (three at a time starts too many n8n processes at once).
	maxWorkers: 2,
	// n8n-core keeps the event loop busy after a workflow execution although no handle is left open.
	forceExit: true,
};
