/**
 * Where a machine's CPU went during a window, per group of processes (Linux /proc only; elsewhere the
 * groups read as empty). On a small shared machine a benchmark's writer, the app, PostgreSQL and the
 * browser compete for the same cores, so a latency figure is only readable next to this.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime: 100 on every Linux we run on. */
const TICKS = 100;

interface ProcStat {
	ppid: number;
	ticks: number;
}

function readStat(pid: number): ProcStat | null {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name may contain spaces and parentheses: fields start after the last ')'.
		const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
		return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
	} catch {
		return null; // gone, or no /proc
	}
}

function allPids(): number[] {
	try {
		return readdirSync('/proc')
			.filter((d) => /^\d+$/.test(d))
			.map(Number);
	} catch {
		return [];
	}
}

/** Busy ticks of the whole machine (every state but idle and iowait), all cores together. */
function machineBusy(): number {
	try {
		const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
		const v = values.map(Number);
		return v.reduce((a, b) => a + b, 0) - v[3] - v[4];
	} catch {
		return 0;
	}
}

/** `root` and every process below it. */
export function processTree(root: number): number[] {
	const children = new Map<number, number[]>();
	for (const pid of allPids()) {
		const stat = readStat(pid);
		if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
	}
	const out: number[] = [];
	const walk = (pid: number) => {
		out.push(pid);
		for (const child of children.get(pid) ?? []) walk(child);
	};
	walk(root);
	return out;
}

export interface CpuWindow {
	/** Cores busy on average per group, e.g. { app: 0.4 }, plus `others` (the rest of the machine). */
	stop(): Record<string, number>;
}

/**
 * Start measuring. `groups` names the processes of each group, asked again at the end (so processes
 * started during the window count too); a process in two groups counts in the first.
 */
export function startCpuWindow(groups: () => Record<string, number[]>): CpuWindow {
	const started = performance.now();
	const busy0 = machineBusy();
	const before = new Map<number, number>();
	for (const pid of Object.values(groups()).flat()) before.set(pid, readStat(pid)?.ticks ?? 0);
	return {
		stop() {
			const seconds = (performance.now() - started) / 1000;
			const out: Record<string, number> = {};
			const seen = new Set<number>();
			let counted = 0;
			for (const [name, pids] of Object.entries(groups())) {
				let ticks = 0;
				for (const pid of pids) {
					if (seen.has(pid)) continue;
					seen.add(pid);
					const now = readStat(pid)?.ticks;
					if (now !== undefined) ticks += now - (before.get(pid) ?? 0);
				}
				counted += ticks;
				out[name] = ticks / TICKS / seconds;
			}
			out.others = Math.max(0, (machineBusy() - busy0 - counted) / TICKS / seconds);
			return out;
		}
	};
}

/** Cores used per group, for a log line: `app 0.73, bench 0.02`. */
export const formatCores = (cores: Record<string, number>) =>
	Object.entries(cores)
		.map(([k, v]) => `${k} ${v.toFixed(2)}`)
		.join(', ');
