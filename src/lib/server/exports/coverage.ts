/**
 * The coverage report as a CSV file (/ops/coverage.csv): one row per county, headers in the reader's language.
 */
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { serviceDateKey } from '$lib/time';
import { toCsv } from '../csv';
import type { CoverageReport } from '../queries/coverage';

export function coverageCsv(report: CoverageReport, locale: Locale, now: Date): { filename: string; body: string } {
	const en = locale === 'en';
	const o = { locale };
	const header = [
		m.coverage_col_code({}, o),
		m.coverage_col_county({}, o),
		m.coverage_col_city({}, o),
		m.coverage_col_stations({}, o),
		m.coverage_col_counted({}, o),
		m.coverage_col_quota({}, o),
		m.coverage_col_gap({}, o),
		m.coverage_col_communities({}, o),
		m.coverage_col_uncovered({}, o),
		m.coverage_col_uncovered_names({}, o)
	];
	// Chinese lists take the enumeration comma; English names (which may hold commas) a semicolon.
	const separator = en ? '; ' : '、';
	const rows = report.counties.map((c) => [
		c.code,
		en ? c.nameEn : c.nameZh,
		(en ? c.cityEn : c.cityZh) ?? '',
		c.stations,
		c.counted,
		c.quota,
		c.gap,
		c.communities,
		c.uncovered.length,
		c.uncovered.map((u) => (en ? u.nameEn : u.nameZh)).join(separator)
	]);
	return {
		filename: `coverage-${report.region?.code ?? 'all'}-${serviceDateKey(now)}.csv`,
		body: toCsv([header, ...rows])
	};
}
