// Loaded by jest after the test framework, in every test file's own module registry.
// nock intercepts at Node's http layer, which outlives a test file inside a jest worker: an interceptor a
// file leaves active would catch the next file's requests. Every file therefore leaves nock off.
afterAll(() => {
	const nock = require('nock');
	nock.cleanAll();
	nock.enableNetConnect();
	nock.restore();
});
