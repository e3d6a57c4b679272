using ForgetLab.Lab.Suites;

namespace ForgetLab.Lab.Baselines;

/// <summary>One suite definition a baseline is kept for: name, version and a hash of its items.</summary>
public sealed record BaselineSuiteKey(string Suite, string Version, string Definition)
{
    public static BaselineSuiteKey Of(SuiteDefinition suite) => new(suite.Name, suite.Version, SuiteDefinition.ContentHash(suite.Items));

    /// <summary>The file a baseline of this suite is kept in: the <see cref="SuiteEvaluation"/> as JSON.</summary>
    public string FileName => $"{Suite}@{Version}-{Definition}.json";
}
