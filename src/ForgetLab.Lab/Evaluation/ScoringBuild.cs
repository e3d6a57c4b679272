namespace ForgetLab.Lab.Evaluation;

/// <summary>
/// Which build of the scoring code scored a result: the lab assembly's deterministic module id. Every kept score
/// (checkpoint results, the base's baselines, the platform's recorded baselines) is keyed on it, so a score from
/// another build, which may score differently (a float32 sum of log-probs summed in double since 7c33915, a fixed
/// tokenization rule, a new metric), is scored again rather than set beside this build's scores.
/// </summary>
public static class ScoringBuild
{
    /// <summary>32 lowercase hex digits; the same for every process running this build.</summary>
    public static string Id { get; } = typeof(SuiteEvaluator).Assembly.ManifestModule.ModuleVersionId.ToString("N");
}
