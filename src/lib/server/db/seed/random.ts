/** A small seeded PRNG (mulberry32): the demo province is the same on every machine and every run. */
export class Random {
	#state: number;
	constructor(seed: number) {
		this.#state = seed >>> 0;
	}
	next(): number {
		let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}
	pick<T>(list: readonly T[]): T {
		return list[Math.floor(this.next() * list.length)];
	}
	chance(p: number): boolean {
		return this.next() < p;
	}
	/** Pick by weight: [[value, weight], …]. */
	weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
		const total = entries.reduce((s, [, w]) => s + w, 0);
		let r = this.next() * total;
		for (const [value, w] of entries) if ((r -= w) < 0) return value;
		return entries[entries.length - 1][0];
	}
	/** A point within `meters` of a centre. */
	near(lat: number, lng: number, meters: number): { lat: number; lng: number } {
		const d = Math.sqrt(this.next()) * meters;
		const a = this.next() * 2 * Math.PI;
		return { lat: lat + (d * Math.cos(a)) / 111_320, lng: lng + (d * Math.sin(a)) / (111_320 * Math.cos((lat * Math.PI) / 180)) };
	}
}
