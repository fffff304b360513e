/**
 * Client keys for the counter's buttons (DESIGN.md rule 5). A finger's double tap, or a second tap after
 * "no answer from the server", must reach the server with the *same* key, so the server answers it with
 * the first tap's result instead of checking in a second person. A deliberate new tap gets a new key.
 */
export const DOUBLE_TAP_MS = 500;

export function newClientKey(prefix = 'desk') {
	const random = globalThis.crypto?.randomUUID?.().replace(/-/g, '').slice(0, 16) ?? Math.random().toString(36).slice(2, 14);
	return `${prefix}-${Date.now().toString(36)}-${random}`;
}

export class TapKeys {
	#key = newClientKey();
	#lastTap = -Infinity;
	/** True while the last tap has had no definite answer: the next tap retries it. */
	#unsettled = false;

	constructor(private readonly now: () => number = () => Date.now()) {}

	/** The key for a tap now: the previous one within a double tap or after no answer, else a new one. */
	next(): string {
		const at = this.now();
		if (!this.#unsettled && at - this.#lastTap > DOUBLE_TAP_MS) this.#key = newClientKey();
		this.#lastTap = at;
		this.#unsettled = true;
		return this.#key;
	}

	/** A new key whatever happened before (an explicit, different request such as "let in anyway"). */
	fresh(): string {
		this.#key = newClientKey();
		this.#unsettled = false;
		return this.next();
	}

	/** The server answered (yes or a definite no): the next tap after the double-tap window is a new one. */
	settle() {
		this.#unsettled = false;
	}
}
