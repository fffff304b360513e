/**
 * The supervisor's station map: Leaflet for the map, supercluster for clustering.
 *
 * Built for 10,000 stations and hundreds of changes a second: only what is in view is in the DOM
 * (clusters and single stations as focusable div markers, service circles on one canvas), a change to a
 * station already drawn edits that marker in place, and the cluster index is rebuilt — at most once a
 * second — only when a station's load class changes, because cluster colours show the worst load inside.
 */
import type * as Leaflet from 'leaflet';
import Supercluster from 'supercluster';
import { LOAD_BY_RANK, LOAD_RANK, type Load, loadOf } from './load';
import type { TileConfig } from './tiles';
import type { MapStations, RegionLabel } from './types';

export interface LiveFigures {
	state: string;
	occupancy: number;
	capacity: number;
}

export interface OpsMapText {
	/** Accessible name of one station's marker. */
	station(i: number, load: Load): string;
	/** Accessible name of a cluster. */
	cluster(count: number, worst: Load, offline: number): string;
	/** Tooltip body of a station. */
	tooltip(i: number, load: Load): HTMLElement;
	regionName(label: RegionLabel): string;
}

export interface OpsMapOptions {
	L: typeof Leaflet;
	element: HTMLElement;
	data: MapStations;
	live(id: number): LiveFigures | undefined;
	tiles: TileConfig;
	labels: RegionLabel[];
	text: OpsMapText;
	onSelect(id: number): void;
	onTilesFailed(): void;
}

interface PointProps {
	i: number;
	rank: number;
	off: number;
}
interface ClusterProps {
	rank: number;
	off: number;
}

const CLUSTER_MAX_ZOOM = 13;
/** Circles of 1–2 km are specks below this zoom. */
const CIRCLE_MIN_ZOOM = 11;
const REBUILD_EVERY_MS = 1000;
const DEFAULT_CENTRE: [number, number] = [23.13, 113.26];

export class OpsMap {
	readonly #o: OpsMapOptions;
	readonly #L: typeof Leaflet;
	readonly #map: Leaflet.Map;
	readonly #markers = new Map<string, Leaflet.Marker>();
	readonly #circles = new Map<number, Leaflet.Circle>();
	readonly #index = new Map<number, number>();
	readonly #canvas: Leaflet.Canvas;
	readonly #cityLabels: Leaflet.LayerGroup;
	readonly #countyLabels: Leaflet.LayerGroup;
	#visible: Uint8Array;
	#rank: Int8Array;
	#cluster: Supercluster<PointProps, ClusterProps> | null = null;
	#lastRebuild = 0;
	#rebuildTimer: ReturnType<typeof setTimeout> | null = null;
	#tileErrors = 0;

	constructor(options: OpsMapOptions) {
		this.#o = options;
		const { L, element, data } = options;
		this.#L = L;
		const n = data.id.length;
		this.#visible = new Uint8Array(n).fill(1);
		this.#rank = new Int8Array(n);
		for (let i = 0; i < n; i++) {
			this.#index.set(data.id[i], i);
			this.#rank[i] = LOAD_RANK[this.#load(i)];
		}
		this.#map = L.map(element, { preferCanvas: true, zoomControl: true, minZoom: 4, maxZoom: 18, worldCopyJump: false });
		this.#canvas = L.canvas({ padding: 0.2 });
		for (const layer of options.tiles.layers) {
			const tiles = L.tileLayer(layer.url, { maxZoom: layer.maxZoom, subdomains: layer.subdomains ?? 'abc', attribution: options.tiles.attribution });
			tiles.on('tileerror', () => {
				// No tiles here (offline network, blocked host): say so once; the map works without them.
				if (++this.#tileErrors === 4) options.onTilesFailed();
			});
			tiles.addTo(this.#map);
		}
		this.#cityLabels = L.layerGroup();
		this.#countyLabels = L.layerGroup();
		for (const label of options.labels) {
			if (label.level !== 'city' && label.level !== 'county') continue;
			const marker = L.marker([label.lat, label.lng], {
				icon: L.divIcon({ className: `jc-region-label jc-region-${label.level}`, html: '', iconSize: undefined }),
				interactive: false,
				keyboard: false
			});
			marker.on('add', () => {
				const el = marker.getElement();
				if (el) el.textContent = options.text.regionName(label);
			});
			marker.addTo(label.level === 'city' ? this.#cityLabels : this.#countyLabels);
		}
		this.#map.on('moveend', () => this.#render());
		this.#map.on('zoomend', () => this.#showLabels());
		this.#buildIndex();
		this.fit();
		this.#showLabels();
	}

	/** Which stations the filters let through; the index is rebuilt and the view fitted to them. */
	setFilter(pass: (i: number) => boolean) {
		const n = this.#visible.length;
		for (let i = 0; i < n; i++) this.#visible[i] = pass(i) ? 1 : 0;
		this.#buildIndex();
		this.fit();
		this.#render();
	}

	/** Fit the view to the visible stations. */
	fit() {
		const { lat, lng } = this.#o.data;
		let s = 90, w = 180, nn = -90, e = -180;
		for (let i = 0; i < this.#visible.length; i++) {
			if (!this.#visible[i]) continue;
			s = Math.min(s, lat[i]);
			nn = Math.max(nn, lat[i]);
			w = Math.min(w, lng[i]);
			e = Math.max(e, lng[i]);
		}
		if (s > nn) this.#map.setView(DEFAULT_CENTRE, 7);
		else if (s === nn && w === e) this.#map.setView([s, w], 14);
		else this.#map.fitBounds([[s, w], [nn, e]], { padding: [24, 24], maxZoom: 15 });
	}

	/**
	 * Stations whose live figures changed since the last frame (null: all). Drawn markers are edited in
	 * place; a change of load class marks the clusters stale.
	 */
	applyBatch(changed: number[] | null, filterDependsOnState: boolean, pass: (i: number) => boolean) {
		let stale = false;
		const list = changed ?? this.#o.data.id;
		for (const id of list) {
			const i = this.#index.get(id);
			if (i === undefined) continue;
			const load = this.#load(i);
			const rank = LOAD_RANK[load];
			if (rank !== this.#rank[i]) {
				this.#rank[i] = rank;
				if (this.#visible[i]) stale = true;
				if (filterDependsOnState) {
					const visible = pass(i) ? 1 : 0;
					if (visible !== this.#visible[i]) {
						this.#visible[i] = visible;
						stale = true;
					}
				}
			}
			this.#updateStationMarker(id, i, load);
		}
		if (stale) this.#scheduleRebuild();
	}

	/** Records the last event painted, for people and benchmarks watching the map. */
	markApplied(eventId: number) {
		this.#o.element.dataset.appliedEvent = String(eventId);
	}

	destroy() {
		if (this.#rebuildTimer) clearTimeout(this.#rebuildTimer);
		this.#map.remove();
		this.#markers.clear();
		this.#circles.clear();
	}

	#load(i: number): Load {
		const { data } = this.#o;
		const live = this.#o.live(data.id[i]);
		return live ? loadOf(live.state, live.occupancy, live.capacity) : loadOf(data.states[data.state[i]], data.occupancy[i], data.capacity[i]);
	}

	#scheduleRebuild() {
		if (this.#rebuildTimer) return;
		const wait = Math.max(0, this.#lastRebuild + REBUILD_EVERY_MS - performance.now());
		this.#rebuildTimer = setTimeout(() => {
			this.#rebuildTimer = null;
			this.#buildIndex();
			this.#render();
		}, wait);
	}

	#buildIndex() {
		const { data } = this.#o;
		const points: Supercluster.PointFeature<PointProps>[] = [];
		for (let i = 0; i < data.id.length; i++) {
			if (!this.#visible[i]) continue;
			const rank = this.#rank[i];
			points.push({
				type: 'Feature',
				geometry: { type: 'Point', coordinates: [data.lng[i], data.lat[i]] },
				properties: { i, rank, off: rank === LOAD_RANK.offline ? 1 : 0 }
			});
		}
		this.#cluster = new Supercluster<PointProps, ClusterProps>({
			radius: 56,
			maxZoom: CLUSTER_MAX_ZOOM,
			map: (p) => ({ rank: p.rank, off: p.off }),
			reduce: (acc, p) => {
				acc.rank = Math.max(acc.rank, p.rank);
				acc.off += p.off;
			}
		}).load(points);
		this.#lastRebuild = performance.now();
	}

	#showLabels() {
		const zoom = this.#map.getZoom();
		const toggle = (group: Leaflet.LayerGroup, on: boolean) => {
			if (on && !this.#map.hasLayer(group)) group.addTo(this.#map);
			if (!on && this.#map.hasLayer(group)) group.remove();
		};
		toggle(this.#cityLabels, zoom < 10);
		toggle(this.#countyLabels, zoom >= 9 && zoom < 13);
	}

	/** Draw what is in view: clusters and single stations as markers, circles for single stations when zoomed in. */
	#render() {
		if (!this.#cluster) return;
		const L = this.#L;
		const bounds = this.#map.getBounds().pad(0.1);
		const zoom = Math.round(this.#map.getZoom());
		const features = this.#cluster.getClusters([bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()], zoom);
		const keep = new Set<string>();
		const circlesWanted = new Set<number>();
		for (const f of features) {
			const [lng, lat] = f.geometry.coordinates;
			const props = f.properties as Partial<Supercluster.ClusterProperties> & Partial<PointProps> & ClusterProps;
			if (props.cluster) {
				const key = `c${props.cluster_id}:${props.point_count}:${props.rank}:${props.off}`;
				keep.add(key);
				if (!this.#markers.has(key)) this.#markers.set(key, this.#clusterMarker(lat, lng, props as Supercluster.ClusterProperties & ClusterProps));
			} else {
				const i = props.i!;
				const id = this.#o.data.id[i];
				const key = `s${id}`;
				keep.add(key);
				if (!this.#markers.has(key)) this.#markers.set(key, this.#stationMarker(i));
				if (zoom >= CIRCLE_MIN_ZOOM) circlesWanted.add(id);
			}
		}
		for (const [key, marker] of this.#markers) {
			if (keep.has(key)) continue;
			marker.remove();
			this.#markers.delete(key);
		}
		for (const [id, circle] of this.#circles) {
			if (circlesWanted.has(id)) continue;
			circle.remove();
			this.#circles.delete(id);
		}
		for (const id of circlesWanted) {
			if (this.#circles.has(id)) continue;
			const i = this.#index.get(id)!;
			const circle = L.circle([this.#o.data.lat[i], this.#o.data.lng[i]], {
				radius: this.#o.data.radius[i],
				renderer: this.#canvas,
				interactive: false,
				...circleStyle(this.#load(i))
			}).addTo(this.#map);
			this.#circles.set(id, circle);
		}
	}

	#clusterMarker(lat: number, lng: number, props: Supercluster.ClusterProperties & ClusterProps) {
		const L = this.#L;
		const worst = LOAD_BY_RANK[props.rank];
		const size = props.point_count < 10 ? 34 : props.point_count < 100 ? 40 : 48;
		const marker = L.marker([lat, lng], {
			icon: L.divIcon({
				className: `jc-cluster jc-load-${worst}${props.off ? ' jc-has-offline' : ''}`,
				html: `<span>${props.point_count}</span>`,
				iconSize: [size, size]
			}),
			keyboard: true,
			riseOnHover: true
		});
		marker.on('add', () => marker.getElement()?.setAttribute('aria-label', this.#o.text.cluster(props.point_count, worst, props.off)));
		marker.on('click', () => {
			const zoom = Math.min(this.#cluster!.getClusterExpansionZoom(props.cluster_id), 18);
			this.#map.flyTo([lat, lng], zoom, { duration: 0.4 });
		});
		return marker.addTo(this.#map);
	}

	#stationMarker(i: number) {
		const L = this.#L;
		const { data } = this.#o;
		const load = this.#load(i);
		const marker = L.marker([data.lat[i], data.lng[i]], {
			icon: L.divIcon({ className: `jc-station jc-load-${load}`, html: '', iconSize: [18, 18] }),
			keyboard: true,
			riseOnHover: true
		});
		marker.on('add', () => {
			const el = marker.getElement();
			el?.setAttribute('aria-label', this.#o.text.station(i, load));
			el?.setAttribute('data-station', String(data.id[i]));
		});
		marker.bindTooltip(() => this.#o.text.tooltip(i, this.#load(i)), { direction: 'top', offset: [0, -8] });
		marker.on('click', () => this.#o.onSelect(data.id[i]));
		return marker.addTo(this.#map);
	}

	#updateStationMarker(id: number, i: number, load: Load) {
		const marker = this.#markers.get(`s${id}`);
		if (marker) {
			const el = marker.getElement();
			if (el) {
				el.className = el.className.replace(/jc-load-\w+/, `jc-load-${load}`);
				el.setAttribute('aria-label', this.#o.text.station(i, load));
			}
			const tooltip = marker.getTooltip();
			if (tooltip?.isOpen()) tooltip.update();
		}
		this.#circles.get(id)?.setStyle(circleStyle(load));
	}
}

const LOAD_COLOUR: Record<Load, string> = {
	calm: '#1a7f37',
	busy: '#b35900',
	full: '#c62828',
	closed: '#6b7280',
	offline: '#374151'
};

function circleStyle(load: Load): Leaflet.PathOptions {
	return { color: LOAD_COLOUR[load], weight: 1, fillColor: LOAD_COLOUR[load], fillOpacity: load === 'closed' || load === 'offline' ? 0.05 : 0.12, dashArray: load === 'offline' ? '4 4' : undefined };
}
