import { AdaptivePool } from '../../nodes/shared/pool';

function deferred() {
	let resolve!: () => void;
	const promise = new Promise<void>((done) => (resolve = done));
	return { promise, resolve };
}

describe('AdaptivePool', () => {
	it('never runs more than the limit at once, and runs everything', async () => {
		const pool = new AdaptivePool(3);
		let active = 0;
		let peak = 0;
		const done: number[] = [];
		await Promise.all(
			Array.from({ length: 20 }, (_, index) =>
				pool.run(async () => {
					active++;
					peak = Math.max(peak, active);
					await new Promise((resolve) => setImmediate(resolve));
					active--;
					done.push(index);
				}),
			),
		);
		expect(peak).toBe(3);
		expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index));
	});

	it('halves on a rate limit and grows back by one per limit-many successes, up to the maximum', () => {
		const pool = new AdaptivePool(8);
		pool.rateLimited();
		expect(pool.currentLimit).toBe(4);
		pool.rateLimited();
		pool.rateLimited();
		pool.rateLimited();
		expect(pool.currentLimit).toBe(1);
		pool.succeeded();
		expect(pool.currentLimit).toBe(2);
		pool.succeeded();
		pool.succeeded();
		expect(pool.currentLimit).toBe(3);
		for (let i = 0; i < 100; i++) pool.succeeded();
		expect(pool.currentLimit).toBe(8);
	});

	it('admits waiting tasks only up to the lowered limit', async () => {
		const pool = new AdaptivePool(4);
		const gates = Array.from({ length: 8 }, deferred);
		let active = 0;
		let peakOfLateStarters = 0;
		const runs = gates.map((gate, index) =>
			pool.run(async () => {
				active++;
				// The first 4 started before the cut; everyone after must see the lowered limit of 1.
				if (index >= 4) peakOfLateStarters = Math.max(peakOfLateStarters, active);
				await gate.promise;
				active--;
			}),
		);
		pool.rateLimited();
		pool.rateLimited();
		for (const gate of gates) {
			gate.resolve();
			await new Promise((resolve) => setImmediate(resolve));
		}
		await Promise.all(runs);
		expect(pool.currentLimit).toBe(1);
		expect(peakOfLateStarters).toBe(1);
	});
});
