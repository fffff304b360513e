/**
 * The open supervisor alerts of a dashboard, newest first. Fed by whoever owns the region feeds (the ops
 * store): `load` with the `alerts` of a region snapshot, `apply` with each live event. It never subscribes
 * by itself, so one region subscription carries stations and alerts alike.
 *
 * Applying is idempotent: the same alert can reach a page through two overlapping region topics, and a
 * raise already known, a clear of an unknown alert or a repeated acknowledgement change nothing.
 */
import {
	ALERT_EVENTS,
	type AlertAcknowledgedPayload,
	type AlertClearedPayload,
	type AlertView
} from '$lib/alerts';
import type { LiveEvent } from '../protocol';

/** The most a page keeps (the server's snapshot sends at most as many). */
export const ALERT_BOOK_LIMIT = 200;

const newestFirst = (a: AlertView, b: AlertView) => (a.raisedAt === b.raisedAt ? b.id - a.id : a.raisedAt < b.raisedAt ? 1 : -1);

export class AlertBook {
	/** Open alerts, newest first, at most ALERT_BOOK_LIMIT. Replaced wholesale on each change. */
	alerts = $state.raw<AlertView[]>([]);

	/**
	 * A snapshot's open alerts. With `regionCode`, only alerts of that region are replaced (a page following
	 * several regions gets one snapshot per region); without, the whole book.
	 */
	load(list: AlertView[], regionCode?: string) {
		const kept = regionCode === undefined ? [] : this.alerts.filter((a) => !a.regionCode.startsWith(regionCode));
		// A lookup for this call only, not view state.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const ids = new Set(kept.map((a) => a.id));
		this.alerts = [...kept, ...list.filter((a) => !ids.has(a.id))].sort(newestFirst).slice(0, ALERT_BOOK_LIMIT);
	}

	/** Apply one live event. True when it was an alert event (whether or not it changed anything). */
	apply(event: Pick<LiveEvent, 'type' | 'payload'>): boolean {
		switch (event.type) {
			case ALERT_EVENTS.raised: {
				const alert = event.payload as AlertView;
				if (typeof alert?.id !== 'number' || this.alerts.some((a) => a.id === alert.id)) return true;
				this.alerts = [...this.alerts, alert].sort(newestFirst).slice(0, ALERT_BOOK_LIMIT);
				return true;
			}
			case ALERT_EVENTS.cleared: {
				const { alertId } = event.payload as AlertClearedPayload;
				if (this.alerts.some((a) => a.id === alertId)) this.alerts = this.alerts.filter((a) => a.id !== alertId);
				return true;
			}
			case ALERT_EVENTS.acknowledged: {
				const p = event.payload as AlertAcknowledgedPayload;
				const current = this.alerts.find((a) => a.id === p.alertId);
				if (current && current.acknowledgedAt === null) {
					this.alerts = this.alerts.map((a) => (a.id === p.alertId ? { ...a, acknowledgedAt: p.acknowledgedAt, acknowledgedBy: p.acknowledgedBy } : a));
				}
				return true;
			}
			default:
				return false;
		}
	}

	/** A command's answer (the acknowledged alert) applied at once, before its event arrives. */
	acknowledged(view: AlertView) {
		if (view.acknowledgedAt) this.apply({ type: ALERT_EVENTS.acknowledged, payload: { alertId: view.id, acknowledgedAt: view.acknowledgedAt, acknowledgedBy: view.acknowledgedBy ?? '' } });
	}

	/**
	 * A handler for one region's feed, in the shape the ops store takes for a sidecar: the snapshot's
	 * `alerts` replace that region's, alert events are claimed.
	 */
	forRegion(regionCode: string) {
		return {
			snapshot: (snapshot: unknown) => this.load((snapshot as { alerts?: AlertView[] } | null)?.alerts ?? [], regionCode),
			event: (event: LiveEvent) => this.apply(event)
		};
	}
}
