/** @type {import('jest').Config} */
const base = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	setupFiles: ['<rootDir>/test/support/quietLogs.ts'],
};

module.exports = {
	projects: [
		{ ...base, displayName: 'n8n-core 2.11', testMatch: ['**/*.test.ts'] },
		// The transport, the credentials and the error outputs also against the oldest supported
		// n8n-core/n8n-workflow pair (that of n8n 1.100), installed under aliases.
		{
			...base,
			displayName: 'n8n-core 1.99',
			testMatch: [
				'<rootDir>/test/credentials/**/*.test.ts',
				'<rootDir>/test/reliability/faults.test.ts',
				'<rootDir>/test/nodes/Symphony/actions/onError.test.ts',
				// Sends: multipart bodies, both tokens and the never-twice retries through n8n-core 1.x.
				'<rootDir>/test/nodes/Symphony/actions/message/**/*.test.ts',
				// Create Room: never made twice by a retry, the same way.
				'<rootDir>/test/nodes/Symphony/actions/stream/createRoom.operation.test.ts',
				'<rootDir>/test/nodes/Symphony/actions/itemRunner.test.ts',
				// Get's If Read Too Recently → Wait, and its cancelling, on n8n-workflow 1.x.
				'<rootDir>/test/nodes/Symphony/actions/presence/get.operation.test.ts',
				'<rootDir>/test/nodes/Symphony/transport/**/*.test.ts',
				'<rootDir>/test/harness/pair.test.ts',
				// The Symphony Trigger's trigger(): activation, emission, close and manual mode in n8n-core 1.x.
				'<rootDir>/test/nodes/Symphony/SymphonyTrigger.node.test.ts',
				// n8n 1.x evaluates the canvas subtitle with its own expression engine.
				'<rootDir>/test/nodes/Symphony/Symphony.node.test.ts',
				// The node as an AI Agent's tool: n8n-workflow 1.x's @tool and tool description.
				'<rootDir>/test/nodes/Symphony/toolUse.test.ts',
			],
			setupFiles: [...base.setupFiles, '<rootDir>/test/support/n8nCore1.ts'],
			moduleNameMapper: {
				'^n8n-core$': '<rootDir>/node_modules/n8n-core-1x',
				'^n8n-workflow$': '<rootDir>/node_modules/n8n-workflow-1x',
			},
		},
	],
	testTimeout: 30000,
	// The end-to-end files mostly wait on n8n (starting, polling once a minute): two at a time, a cold
	// `npm test` stays within 20 minutes on 2 cores (three at a time starts too many n8n processes at once).
	maxWorkers: 2,
	// n8n-core keeps the event loop busy after a workflow execution although no handle is left open.
	forceExit: true,
};
