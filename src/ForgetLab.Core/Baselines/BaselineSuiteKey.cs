namespace ForgetLab.Core.Baselines;

/// <summary>One suite definition a baseline is kept for: name, version and a hash of its items.</summary>
public sealed record BaselineSuiteKey(string Suite, string Version, string Definition)
{
    /// <summary>The file a baseline of this suite is kept in: the <see cref="Analysis.SuiteEvaluation"/> as JSON.</summary>
    public string FileName => $"{Suite}@{Version}-{Definition}.json";
}
