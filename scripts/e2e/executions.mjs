// n8n's REST API returns an execution's data as a `flatted` string (it keeps shared references); n8n brings
// the library, so it is loaded from the pinned install rather than added as a dependency here.
import { createRequire } from 'node:module';
import path from 'node:path';

import { N8N_DIR } from '../lib/n8n-install.mjs';

const { parse } = createRequire(path.join(N8N_DIR, 'package.json'))('flatted');

/** The IRunExecutionData of an execution from GET /rest/executions/:id. */
export function parseExecution(execution) {
	return typeof execution.data === 'string' ? parse(execution.data) : execution.data;
}
