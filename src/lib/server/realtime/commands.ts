/**
 * Socket commands (`domain:verb`), each a thin call into a service: the service validates the input,
 * checks the actor's scope and writes through the one write path. Handlers answer `{ok, data|error}`.
 */
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { acknowledgeAlert } from '../services/alerts';
import { apply, setApplicationStatus } from '../services/applications';
import { displayHeartbeat } from '../services/displays';
import { addBooth, applyAtBooth, recordOffer, setFairState, signInAtDoor } from '../services/fairs';
import { closePosition, createPosition, fillPosition, reviewPosition, submitPosition } from '../services/positions';
import { recommendPosition } from '../services/recommendations';
import { addToQueue, answerQuestion, applyInRoom, hideMessage, muteViewer, pinPosition, postMessage, revealContact, setRoomState, setSlowMode } from '../services/rooms';
import { recordService } from '../services/service-records';
import { setStationState } from '../services/stations';
import { checkIn, checkOut } from '../services/visits';

export type Command = (ctx: AppContext, actor: Actor, input: unknown) => Promise<unknown>;

export const commands: Record<string, Command> = {
	'visit:check_in': checkIn,
	'visit:check_out': checkOut,
	'station:set_state': setStationState,
	'service:record': recordService,
	'position:create': createPosition,
	'position:submit': submitPosition,
	'position:review': reviewPosition,
	'position:close': closePosition,
	'position:fill': fillPosition,
	'application:apply': apply,
	'application:set_status': setApplicationStatus,
	'alert:acknowledge': acknowledgeAlert,
	'display:heartbeat': displayHeartbeat,
	'fair:set_state': setFairState,
	'fair:add_booth': addBooth,
	'fair:sign_in': signInAtDoor,
	'fair:apply': applyAtBooth,
	'fair:offer': recordOffer,
	'recommend:position': recommendPosition,
	'room:set_state': setRoomState,
	'room:pin': pinPosition,
	'room:add_position': addToQueue,
	'room:post': postMessage,
	'room:hide': hideMessage,
	'room:answer': answerQuestion,
	'room:mute': muteViewer,
	'room:slow_mode': setSlowMode,
	'room:apply': applyInRoom,
	'room:reveal': revealContact
};
