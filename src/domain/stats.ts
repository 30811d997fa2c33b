/** Deployments started on one UTC day, by how they ended (running ones are in the totals only). */
export interface DayCount { date: string; succeeded: number; failed: number; interrupted: number }

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
  /** Drift (issue 20): checks that ran in the window, those that found drift, and projects drifting now (not limited to the window). */
  drift: { checks: number; detected: number; open: number };
  /** One entry per UTC day of the window, oldest first. */
  per_day: DayCount[];
}

