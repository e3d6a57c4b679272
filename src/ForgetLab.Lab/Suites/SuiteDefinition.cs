using ForgetLab.Core.Analysis;

namespace ForgetLab.Lab.Suites;

/// <summary>
/// A versioned capability suite: what it measures (<see cref="Category"/>), how it is scored
/// (<see cref="Kind"/>, <see cref="Metric"/>) and its items. Two results are comparable only
/// when their <see cref="Version"/>s are equal.
/// </summary>
public sealed record SuiteDefinition(
    string Name,
    string Version,
    string Category,
    string Kind,
    string Metric,
    IReadOnlyList<SuiteItem> Items)
{
    /// <summary>Where greedy generation stops (generate_until only).</summary>
    public IReadOnlyList<string> Until { get; init; } = ["."];

    /// <summary>What joins an item's prompt and each choice in a multiple_choice request (lm-eval's <c>target_delimiter</c>, part of the continuation); ForgetLab's own suites join with one space.</summary>
    public string TargetDelimiter { get; init; } = " ";

    /// <summary>The lm-evaluation-harness task the suite was read from (its exact requests and metrics); null for ForgetLab's own suites.</summary>
    public LmEval.LmEvalTask? LmEval { get; init; }

    /// <summary>The metric's direction as the suite file states it (<c>higher_is_better</c>); null: the metric's default (<see cref="MetricDirection"/>).</summary>
    public bool? HigherIsBetter { get; init; }

    /// <summary>
    /// A suite whose version is <paramref name="revision"/> plus a hash of its items, so that a
    /// suite whose items change (e.g. capitals_recall without the countries a target changed)
    /// never compares with results on other items.
    /// </summary>
    public static SuiteDefinition Create(string name, int revision, string category, string kind, IReadOnlyList<SuiteItem> items, string? metric = null) =>
        new(name, $"{revision}-{ContentHash(items)}", category, kind, metric ?? SuiteKinds.DefaultMetric(kind), items);

    public static string ContentHash(IEnumerable<SuiteItem> items)
    {
        // FNV-1a 64 over a canonical rendering of every item; the low 32 bits read as 8 hex digits.
        var hash = 14695981039346656037UL;
        foreach (var item in items)
        {
            var line = $"{item.Id}\u0001{item.Prompt}\u0001{string.Join('\u0002', item.Choices)}\u0001{item.Gold}\u0001{item.Target}\u0003";
            foreach (var b in System.Text.Encoding.UTF8.GetBytes(line))
            {
                hash = (hash ^ b) * 1099511628211UL;
            }
        }

        return (hash & 0xFFFFFFFFUL).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }
}
