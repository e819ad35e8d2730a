// Loaded by jest before every test file (plain JS, so the community-node scanner does not lint it).
require('reflect-metadata');
const fs = require('fs');
const os = require('os');
const path = require('path');

process.env.TZ = 'UTC';
process.env.N8N_RUNNERS_ENABLED = 'false';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
// The engine logs every node error through n8n's logger; the tests assert them instead.
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';
// n8n-core writes an encryption key into $N8N_USER_FOLDER/.n8n/config on first use: never the home folder.
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'credit-memos-n8n-'));
}
