// Chart data builders (pure: Result / sweep points → ChartSpec) and the Node renderer.

export * from './spec.js';
export * from './palette.js';
export * from './metrics.js';
export * from './roofline.js';
export * from './breakdown.js';
export * from './speedup.js';
export * from './heatmap.js';
export * from './pareto.js';
export { chartRuntime, chartRuntimeSource, type ChartRuntime, type RuntimeEnv } from './runtime.js';
export { CSS_FONT_STACK } from './font-stack.js';
