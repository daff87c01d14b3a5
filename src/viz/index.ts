// Pictures for notebooks and reports: charts rendered to SVG by vega-lite, tensors as HTML, the tape as a graph.
export { Chart, lineChart, scatter, heatmap, imageGrid, concatCharts, type VegaLiteSpec, type ChartOptions, type LineChartOptions, type SeriesData, type ScatterOptions, type RegionsOptions, type HeatmapOptions, type ImageGridOptions } from './plot.js';
export { show, toHTML, setDisplayTarget, type ToHTMLOptions, type DisplayTarget } from './display.js';
export { graphOf, drawGraph, type TapeGraph, type GraphNode, type GraphEdge, type GraphNodeKind, type GraphOptions, type DrawGraphOptions } from './graph.js';
export type { Normalize } from './pixels.js';
