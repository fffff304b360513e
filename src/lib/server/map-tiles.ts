/**
 * Which map tiles the browser loads. Presets for OpenStreetMap and Tianditu (China's official map, which
 * needs a key); `none` for networks that reach neither — the map still shows circles, markers and labels.
 */
import type { TileConfig } from '$lib/components/map/tiles';
import { config } from './config';

const tianditu = (layer: 'vec' | 'cva', key: string) =>
	`https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`;

export function tileConfig(): TileConfig {
	switch (config.mapTiles) {
		case 'none':
			return { preset: 'none', layers: [], attribution: '' };
		case 'tianditu':
			if (!config.tiandituKey) return { preset: 'none', layers: [], attribution: '' };
			return {
				preset: 'tianditu',
				// Base map plus its Chinese label layer.
				layers: [
					{ url: tianditu('vec', config.tiandituKey), subdomains: '01234567', maxZoom: 18 },
					{ url: tianditu('cva', config.tiandituKey), subdomains: '01234567', maxZoom: 18 }
				],
				attribution: config.mapTileAttribution ?? '© 天地图 Tianditu'
			};
		case 'custom':
			if (!config.mapTileUrl) return { preset: 'none', layers: [], attribution: '' };
			return { preset: 'custom', layers: [{ url: config.mapTileUrl, subdomains: 'abc', maxZoom: 19 }], attribution: config.mapTileAttribution ?? '' };
		default:
			return {
				preset: 'osm',
				layers: [{ url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', maxZoom: 19 }],
				attribution: config.mapTileAttribution ?? '© OpenStreetMap contributors'
			};
	}
}
