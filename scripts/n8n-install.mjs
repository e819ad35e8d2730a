// `npm run n8n:install`: installs (or checks) the pinned n8n that `npm start` and `npm run test:e2e` use.
import { formatError } from './lib/common.mjs';
import { ensureN8n } from './lib/n8n-install.mjs';

ensureN8n().catch((error) => {
	console.error(formatError(error));
	process.exit(1);
});
