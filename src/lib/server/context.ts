import type { Database, Db } from './db';
import type { Logger } from './log';

/** What a service needs from the process: the database, and a way to wake the relay after a commit. */
export interface AppContext {
	db: Db;
	database: Database;
	log: Logger;
	/** Called after a transaction that appended events has committed. */
	afterCommit: () => void;
	now: () => Date;
}
