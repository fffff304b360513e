/**
 * `make(owner)` once per owner object, kept as long as the owner lives: a prepared query per database, a
 * write group per app context (a process has one of each; tests open several).
 */
export function onePer<Owner extends object, Value>(make: (owner: Owner) => Value): (owner: Owner) => Value {
	const made = new WeakMap<Owner, Value>();
	return (owner) => {
		let value = made.get(owner);
		if (value === undefined) made.set(owner, (value = make(owner)));
		return value;
	};
}
