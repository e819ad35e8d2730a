// The provider sandbox (sandbox/, TypeScript) started in this process through tsx, so the scripts get its
// library API (ledger, reset) and the demo credentials from the same source as the sandbox itself.
import { tsImport } from 'tsx/esm/api';

import { StepError } from './common.mjs';

export async function loadSandboxLibrary() {
	// Most demo credentials are in sandbox/demoCredentials.ts; Salesforce's and Magento SOAP's live with their emulators.
	const [library, demo, salesforce, magentoSoap] = await Promise.all([
		tsImport('../../sandbox/index.ts', import.meta.url),
		tsImport('../../sandbox/demoCredentials.ts', import.meta.url),
		tsImport('../../sandbox/providers/salesforce/index.ts', import.meta.url),
		tsImport('../../sandbox/providers/magentoSoap/index.ts', import.meta.url),
	]);
	// tsx gives CommonJS modules as { default, ...named }; either shape works below.
	const named = (module) => ({ ...(module.default ?? {}), ...module });
	return {
		startSandbox: library.startSandbox ?? library.default.startSandbox,
		demo: { ...named(demo), SALESFORCE_DEMO: named(salesforce).SALESFORCE_DEMO, MAGENTO_SOAP_DEMO: named(magentoSoap).MAGENTO_SOAP_DEMO },
	};
}

export async function startProviderSandbox({ port }) {
	const { startSandbox, demo } = await loadSandboxLibrary();
	try {
		const sandbox = await startSandbox({ port });
		return { sandbox, demo };
	} catch (error) {
		if (error.code === 'EADDRINUSE') throw new StepError(`The provider sandbox could not listen on 127.0.0.1:${port}: the port is in use`, `stop what uses it, or choose another port: SANDBOX_PORT=4011 npm start`);
		throw error;
	}
}
