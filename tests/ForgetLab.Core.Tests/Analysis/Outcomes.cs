using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Tests.Analysis;

/// <summary>Builds per-item outcomes for tests: item ids are "item-0", "item-1", ….</summary>
internal static class Outcomes
{
    public static SuiteOutcomes Binary(
        IReadOnlyList<double> values,
        string suite = "capitals",
        SuiteCategory category = SuiteCategory.Knowledge,
        double? chance = 0.25,
        string version = "1") =>
        new(suite, version, category, OutcomeKind.Binary, "acc", HigherIsBetter: true, chance, Ids(values.Count), values);

    public static SuiteOutcomes Continuous(
        IReadOnlyList<double> values,
        string suite = "wiki_text",
        SuiteCategory category = SuiteCategory.Language,
        string version = "1") =>
        new(suite, version, category, OutcomeKind.Continuous, "nats_per_token", HigherIsBetter: false, null, Ids(values.Count), values);

    /// <summary>n items of which the first <paramref name="correct"/> are correct (1) and the rest wrong (0).</summary>
    public static double[] FirstCorrect(int n, int correct) =>
        Enumerable.Range(0, n).Select(i => i < correct ? 1.0 : 0.0).ToArray();

    public static string[] Ids(int n) => Enumerable.Range(0, n).Select(i => $"item-{i}").ToArray();
}
