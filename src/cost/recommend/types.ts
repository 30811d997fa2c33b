export interface Recommendation {
  message: string;
  monthly_savings_usd: number;
}
