/** How many samples each workload takes, for a full run and for the CI smoke run. */

export interface BenchConfig {
  smoke: boolean;
  /** W1: warm-up lifecycles, then measured sequential lifecycles per implementation and transport. */
  w1: { warmup: number; n: number };
  /** W2: total lifecycles with `concurrency` in flight. */
  w2: { warmup: number; total: number; concurrency: number };
  /**
   * W3: samples for event-driven implementations (`n`) and for the SDK's polling paths (`nPolling`,
   * each costing up to one poll interval). The gate opens `settleMs` after the waiting request was
   * sent; for the polling paths a random extra in `[0, pollSpreadMs)` samples the poll phase.
   */
  w3: { n: number; nPolling: number; settleMs: number; pollSpreadMs: number };
  /** W4: elicitation round trips for fast implementations and for the SDK's polling path. */
  w4: { warmup: number; n: number; nPolling: number };
  /** W5: sequential lifecycles counted by `INFO commandstats`; lifecycles captured by MONITOR; throughput run; redis-benchmark requests. */
  w5: { countLifecycles: number; captureLifecycles: number; throughputTotal: number; concurrency: number; benchmarkRequests: number };
  /** W6: stored tasks for the small and the large store; `tasks/list` first-page samples. */
  w6: { small: number; large: number; listSamples: number };
  /** W7: idle window per implementation (ms). */
  w7: { idleMs: number };
  /**
   * W8: the 2026-07-28 extension path beside the 2025-11-25 one on the same server: sequential
   * lifecycles per revision (`n`), completion → seen samples with `subscriptions/listen` and with
   * `tasks/result` (`nSeen`, each running a 50 ms tool) and with polling at the task's
   * `pollIntervalMs` (`nPolling`, each costing up to one interval).
   */
  w8: { warmup: number; n: number; nSeen: number; nPolling: number };
}

export const FULL_CONFIG: BenchConfig = {
  smoke: false,
  w1: { warmup: 200, n: 2_000 },
  w2: { warmup: 256, total: 5_000, concurrency: 64 },
  w3: { n: 200, nPolling: 8, settleMs: 10, pollSpreadMs: 1_000 },
  w4: { warmup: 20, n: 200, nPolling: 5 },
  w5: { countLifecycles: 1_000, captureLifecycles: 3, throughputTotal: 5_000, concurrency: 64, benchmarkRequests: 50_000 },
  w6: { small: 100, large: 100_000, listSamples: 200 },
  w7: { idleMs: 10_000 },
  w8: { warmup: 50, n: 1_000, nSeen: 100, nPolling: 8 },
};

export const SMOKE_CONFIG: BenchConfig = {
  smoke: true,
  w1: { warmup: 2, n: 10 },
  w2: { warmup: 4, total: 40, concurrency: 8 },
  w3: { n: 3, nPolling: 1, settleMs: 5, pollSpreadMs: 50 },
  w4: { warmup: 1, n: 3, nPolling: 1 },
  w5: { countLifecycles: 10, captureLifecycles: 1, throughputTotal: 40, concurrency: 8, benchmarkRequests: 500 },
  w6: { small: 10, large: 300, listSamples: 5 },
  w7: { idleMs: 300 },
  w8: { warmup: 2, n: 5, nSeen: 3, nPolling: 1 },
};
