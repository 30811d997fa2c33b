import type { Money } from '../../domain/money.js';

export interface Recommendation {
  message: string;
  monthly_savings: Money;
}
