/** The map background as configured on the server (MAP_TILES …); `layers` is empty when there are no tiles. */
export interface TileConfig {
	preset: 'osm' | 'tianditu' | 'none' | 'custom';
	layers: { url: string; subdomains?: string; maxZoom: number }[];
	attribution: string;
}
