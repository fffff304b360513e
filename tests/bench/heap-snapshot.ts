/**
 * What a page's heap is made of, from a V8 heap snapshot over CDP (HeapProfiler.takeHeapSnapshot), summed
 * per kind of object (node type and constructor or name): when a soak shows the heap growing, the
 * difference between two summaries says what piles up.
 */
import type { CDPSession } from '@playwright/test';

export type HeapSummary = Map<string, { count: number; size: number }>;

interface RawSnapshot {
	snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
	nodes: number[];
	strings: string[];
}

export async function heapSummary(cdp: CDPSession): Promise<HeapSummary> {
	const chunks: string[] = [];
	const collect = ({ chunk }: { chunk: string }) => chunks.push(chunk);
	cdp.on('HeapProfiler.addHeapSnapshotChunk', collect);
	try {
		await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
	} finally {
		cdp.off('HeapProfiler.addHeapSnapshotChunk', collect);
	}
	return summarise(JSON.parse(chunks.join('')) as RawSnapshot);
}

/** Count and self size per `type:name` (strings and code are grouped by type only: their names are their contents). */
export function summarise(raw: RawSnapshot): HeapSummary {
	const fields = raw.snapshot.meta.node_fields;
	const types = raw.snapshot.meta.node_types[0];
	const width = fields.length;
	const [TYPE, NAME, SIZE] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
	const out: HeapSummary = new Map();
	for (let i = 0; i < raw.nodes.length; i += width) {
		const type = types[raw.nodes[i + TYPE]];
		const grouped = type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'code' || type === 'number';
		const key = grouped ? type : `${type}:${raw.strings[raw.nodes[i + NAME]].slice(0, 60)}`;
		const entry = out.get(key) ?? { count: 0, size: 0 };
		entry.count++;
		entry.size += raw.nodes[i + SIZE];
		out.set(key, entry);
	}
	return out;
}

/** The kinds that grew most in bytes from `before` to `after`. */
export function heapGrowth(before: HeapSummary, after: HeapSummary, top = 12) {
	const keys = new Set([...before.keys(), ...after.keys()]);
	return [...keys]
		.map((key) => {
			const a = before.get(key) ?? { count: 0, size: 0 };
			const b = after.get(key) ?? { count: 0, size: 0 };
			return { key, count: b.count - a.count, size: b.size - a.size };
		})
		.filter((d) => d.size > 0)
		.sort((x, y) => y.size - x.size)
		.slice(0, top);
}
