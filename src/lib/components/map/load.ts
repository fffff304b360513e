/**
 * How full a station is, in the three words a supervisor scans for, plus closed and offline. The same
 * thresholds colour markers, circles, clusters (by their worst station) and the legend.
 */
export type Load = 'calm' | 'busy' | 'full' | 'closed' | 'offline';

/** From this share of capacity a station counts as busy. */
export const BUSY_FROM = 0.7;

export function loadOf(state: string, occupancy: number, capacity: number): Load {
	if (state === 'offline') return 'offline';
	if (state === 'closed') return 'closed';
	if (capacity > 0 && occupancy >= capacity) return 'full';
	return capacity > 0 && occupancy / capacity >= BUSY_FROM ? 'busy' : 'calm';
}

/** Ordering for "worst inside a cluster": full beats busy beats calm; closed and offline rank below calm. */
export const LOAD_RANK: Record<Load, number> = { offline: 0, closed: 1, calm: 2, busy: 3, full: 4 };
export const LOAD_BY_RANK: Load[] = ['offline', 'closed', 'calm', 'busy', 'full'];
