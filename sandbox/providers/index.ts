/**
 * The registry of provider emulators the sandbox serves. One factory per provider (sandbox/types.ts EmulatorFactory);
 * adding a provider = one folder under sandbox/providers/ and one line here.
 */
import type { EmulatorFactory } from '../types';
import { createMagentoRestEmulator } from './magentoRest';
import { createMagentoSoapEmulator } from './magentoSoap';
import { createRebillyEmulator } from './rebilly';
import { createSalesforceEmulator } from './salesforce';
import { createZuoraEmulator } from './zuora';

export const emulators: EmulatorFactory[] = [
	createRebillyEmulator,
	createZuoraEmulator,
	createMagentoRestEmulator,
	createSalesforceEmulator,
	createMagentoSoapEmulator,
];
