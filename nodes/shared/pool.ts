/**
 * Runs tasks with at most `limit` in flight. On a rate limit the limit is halved (never below 1); after as
 * many successes as the current limit it grows by one again, up to the configured maximum (AIMD, as TCP does),
 * so a burst of 429s slows the run down instead of failing items.
 */
export class AdaptivePool {
	private limit: number;
	private active = 0;
	private successes = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly max: number) {
		this.limit = Math.max(1, max);
	}

	get currentLimit(): number {
		return this.limit;
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		// A woken task receives its slot from wake(), already counted.
		if (this.active < this.limit) this.active++;
		else await new Promise<void>((resolve) => this.waiting.push(resolve));
		try {
			return await task();
		} finally {
			this.active--;
			this.wake();
		}
	}

	rateLimited(): void {
		this.limit = Math.max(1, Math.floor(this.limit / 2));
		this.successes = 0;
	}

	succeeded(): void {
		if (this.limit >= this.max) return;
		if (++this.successes >= this.limit) {
			this.limit++;
			this.successes = 0;
			this.wake();
		}
	}

	private wake(): void {
		while (this.active < this.limit && this.waiting.length) {
			this.active++;
			this.waiting.shift()!();
		}
	}
}
