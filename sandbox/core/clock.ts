/**
 * The sandbox's notion of "now": real time plus an offset, so tests can jump past a 1 h token lifetime or the 24 h
 * idempotency window without waiting.
 */
export class SandboxClock {
	private offsetMs = 0;

	now(): Date {
		return new Date(Date.now() + this.offsetMs);
	}

	advance(ms: number): void {
		this.offsetMs += ms;
	}

	set(at: Date): void {
		this.offsetMs = at.getTime() - Date.now();
	}

	reset(): void {
		this.offsetMs = 0;
	}

	get offset(): number {
		return this.offsetMs;
	}
}
