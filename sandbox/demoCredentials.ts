/**
 * The fixed demo credentials the emulators accept (documented in sandbox/README.md, printed by the CLI).
 * Kept in one place so README, CLI output (via each emulator's demoCredentials) and tests never drift apart.
 */
export const REBILLY_DEMO = { organizationId: 'demo-org', apiKey: 'sk_sandbox_demo_key' } as const;
export const ZUORA_DEMO = { clientId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', clientSecret: 'zuora-sandbox-secret' } as const;
export const MAGENTO_REST_DEMO = {
	clientId: 'magento-rest-client',
	clientSecret: 'magento-rest-secret',
	staticToken: 'magento-rest-static-token',
} as const;
