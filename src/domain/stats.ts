export interface DayCount { date: string; succeeded: number; failed: number }

export interface DeploymentStatistics {
  days: number;
  /** Deployments started in the window, whatever their outcome (running ones included). */
  total: number;
  successful: number;
  failed: number;
  interrupted: number;
  running: number;
  /** successful / finished × 100, one decimal; null when nothing finished in the window. */
  success_rate: number | null;
  /** The sessions' authors with the most deployments (whoever approved them), with a name they went by. */
  top_users: Array<{ user_id: string; user_name: string; count: number }>;
  /** How many deployments included each type. */
  top_resource_types: Array<{ type: string; count: number }>;
  /** Sessions not in a final state right now (not limited to the window). */
  active_sessions: number;
  /** Mean duration of the successful applies, whole milliseconds; null when there were none. */
  avg_apply_duration_ms: number | null;
  /** One entry per UTC day of the window, oldest first; interrupted deployments count as failed. */
  per_day: DayCount[];
}

