/**
 * What the kernel says about the bench's processes (Linux /proc): a process's resident memory, and the
 * PostgreSQL backends serving one database (for CPU accounting, cpu.ts). Shared by the suites that weigh
 * the app per connection.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The resident set of `pid` in KB (VmRSS in /proc/<pid>/status). */
export function vmRssKb(pid: number): number {
	const line = readFileSync(`/proc/${pid}/status`, 'utf8')
		.split('\n')
		.find((l) => l.startsWith('VmRSS:'));
	if (!line) throw new Error(`no VmRSS for ${pid}`);
	return Number(line.split(/\s+/)[1]);
}

/** Server processes of `database` (their command line reads `postgres: [15/main: ]<user> <database> <client> …`). */
export function backendsOf(database: string): number[] {
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^[0-9]+$/.test(entry)) continue;
		try {
			const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
			if (/^postgres: (?:\S+: )?\S+ (\S+) /.exec(cmdline)?.[1] === database) pids.push(Number(entry));
		} catch {
			// gone meanwhile
		}
	}
	return pids;
}
