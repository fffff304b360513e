/**
 * Why a position fits a seeker (or a seeker a position), as facts, not sentences: the server ranks with
 * them and the page words them in the reader's language (explain.ts), e.g. "1.1 km, matches 'warehouse',
 * free Saturday".
 */
export interface MatchReasons {
	/** From the seeker's centre (home, else the station they registered at); null when they have neither. */
	distanceM: number | null;
	/** Inside the seeker's circle (centre and radius). */
	inCircle: boolean;
	/** The seeker's own word (a skill or wanted category) that fits the position, as they gave it. */
	matchedWord: string | null;
	/** Where the word fits: the position's category, or only its title. */
	matchedOn: 'category' | 'title' | null;
	/** An odd job on a weekday (0 = Sunday, service time) the seeker said they are free. */
	freeDay: number | null;
	/** An odd job on a weekday the seeker did not list as free. */
	busyDay: number | null;
	/** Published within the last two days. */
	fresh: boolean;
}

/** Where a seeker's circle is drawn: their home, else the station they registered at, else the counter they stand at. */
export interface SeekerCentre {
	lat: number;
	lng: number;
	radiusM: number;
	from: 'home' | 'registered_station' | 'counter';
}

/** One open position for a seeker (matching.ts). */
export interface PositionMatch {
	positionId: number;
	title: string;
	category: string;
	kind: 'full_time' | 'part_time' | 'odd_job' | 'internship' | 'public_welfare';
	payMin: number;
	payMax: number;
	payUnit: 'hour' | 'day' | 'month' | 'piece';
	headcount: number;
	address: string;
	startsAt: string | null;
	endsAt: string | null;
	publishedAt: string | null;
	employerName: string | null;
	score: number;
	reasons: MatchReasons;
	/** The seeker's application to it, if any (a recommendation is one with channel `counter`). */
	application: { applicationId: number; status: string; channel: string } | null;
}

/** One seeker who fits a position: staff of their station and admins only. */
export interface SeekerMatch {
	seekerId: number;
	name: string;
	phone: string;
	keyGroups: string[];
	score: number;
	reasons: MatchReasons;
	application: { applicationId: number; status: string; channel: string } | null;
}
