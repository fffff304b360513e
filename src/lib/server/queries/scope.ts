/** The region prefix a supervisor or admin reads under ('' = everything). */
import { type Actor } from '../actor';
import { forbidden } from '../errors';

export function regionPrefixOf(actor: Actor): string {
	if (actor.kind === 'admin') return '';
	if (actor.kind === 'supervisor') return actor.regionCode;
	throw forbidden();
}

/** `like` pattern for a code prefix; region codes are digits only (schema check), so nothing to escape. */
export const prefixPattern = (prefix: string) => `${prefix}%`;
