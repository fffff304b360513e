/**
 * Socket commands (`domain:verb`), each a thin call into a service: the service validates the input,
 * checks the actor's scope and writes through the one write path. Handlers answer `{ok, data|error}`.
 */
import type { Actor } from '../actor';
import type { AppContext } from '../context';

export type Command = (ctx: AppContext, actor: Actor, input: unknown) => Promise<unknown>;

export const commands: Record<string, Command> = {};
