import type { DeploymentStatistics } from '../domain/stats.js';

/**
 * The /cloud-stats picture as a PNG (drawn by chartRender.ts). Chart.js and the native canvas take about
 * 30 MB and a quarter of a second to load, so they load with the first chart, not with every bot and CLI
 * process that might draw one.
 */
export async function renderDeploymentsChart(s: DeploymentStatistics, scope: string): Promise<Buffer> {
  return (await import('./chartRender.js')).drawDeploymentsChart(s, scope);
}
