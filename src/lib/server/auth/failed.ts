/**
 * Narrows what `actionOrFail` answered: kit's own `isActionFailure` narrows to `ActionFailure<undefined>`,
 * which loses the refusal's data on one side and keeps the failure in the type on the other.
 */
import { type ActionFailure, isActionFailure } from '@sveltejs/kit';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function failed<T>(answer: T): answer is Extract<T, ActionFailure<any>> {
	return isActionFailure(answer);
}
