namespace ForgetLab.Core.Specs.Rl;

/// <summary>
/// Schulman's per-token estimates of KL(π ‖ π_ref) from a token sampled from π, with r = π_ref(x)/π(x):
/// k1 = −log r (unbiased, may be negative), k2 = ½ (log r)² (biased, low variance), k3 = (r − 1) − log r
/// (unbiased and never negative; TRL's GRPO).
/// </summary>
public enum KlEstimator { K1, K2, K3 }
