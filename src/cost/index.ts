export { CostEstimator } from './estimator.js';
export { diffDeployments } from './diff.js';
export { loadPriceBook, parsePriceFile, type PriceBook } from './pricebook.js';
export { checkBudgetCompliance, evaluateBudgetAlerts, type BudgetAlertState, type BudgetCompliance } from './budget.js';
export type { CostDiff, CostDiffLine, DeploymentEstimate, ResourceEstimate } from './types.js';
export type { PriceFile } from './schema.js';
