/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
	},
	setupFiles: ['<rootDir>/test/setup.js'],
	setupFilesAfterEnv: ['<rootDir>/test/afterEachFile.js'],
	// Generous: a slow or busy machine must not turn a correct test into a failure.
	testTimeout: 120000,
	// The engine keeps a few timers (expression isolate pool); never let them hang a CI run.
	forceExit: true,
};
