/**
 * A Chart.js chart as a Svelte attachment: created once when the canvas mounts, then fed new numbers
 * in place (`update('none')`, no animation) whenever the series it reads change — never re-created.
 */
import {
	BarController,
	BarElement,
	CategoryScale,
	Chart,
	type ChartConfiguration,
	Legend,
	LinearScale,
	Tooltip
} from 'chart.js';
import type { Attachment } from 'svelte/attachments';
import { untrack } from 'svelte';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export interface Series {
	labels: string[];
	values: number[];
	/** One colour, or one per bar (e.g. to mark the current hour). */
	colour: string | string[];
	label: string;
	horizontal?: boolean;
}

function configOf(s: Series): ChartConfiguration<'bar'> {
	return {
		type: 'bar',
		data: { labels: s.labels, datasets: [{ label: s.label, data: s.values, backgroundColor: s.colour, borderRadius: 3, maxBarThickness: 28 }] },
		options: {
			indexAxis: s.horizontal ? 'y' : 'x',
			responsive: true,
			maintainAspectRatio: false,
			animation: false,
			plugins: { legend: { display: false } },
			scales: {
				[s.horizontal ? 'x' : 'y']: { beginAtZero: true, ticks: { precision: 0 } },
				[s.horizontal ? 'y' : 'x']: { grid: { display: false }, ticks: { autoSkip: !s.horizontal } }
			}
		}
	};
}

export function barChart(series: () => Series): Attachment<HTMLCanvasElement> {
	return (canvas) => {
		const chart = untrack(() => new Chart(canvas, configOf(series())));
		$effect(() => {
			const next = series();
			chart.data.labels = next.labels;
			const dataset = chart.data.datasets[0];
			dataset.data = next.values;
			dataset.backgroundColor = next.colour;
			dataset.label = next.label;
			chart.update('none');
		});
		return () => chart.destroy();
	};
}
