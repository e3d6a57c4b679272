using ForgetLab.Cli.Commands;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using Spectre.Console;

namespace ForgetLab.Cli.Tests;

/// <summary>The report as <c>forgetlab lab run</c> prints it, on an 80-column terminal.</summary>
public class ReportTableTests
{
    private static readonly string[] RunNames =
        ["full-lr3e-5-steps80-seed1", "replay-full-lr1e-4-steps80-seed1-replay0.25", "lora-r8-lr3e-4-steps100-seed9"];

    private static string Render(int width)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        ReportTable.Write(Report(), console);
        return output.ToString();
    }

    [Fact]
    public void EveryLineFitsEightyColumns()
    {
        var lines = Render(80).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));
    }

    [Fact]
    public void RunNamesAndLabelsAreNeverBrokenInsideAWord()
    {
        var text = Render(80);
        foreach (var name in RunNames) Assert.Contains(name, text);
        foreach (var label in new[] { "catastrophic", "at chance", "not known", "severe", "p<0.001" }) Assert.Contains(label, text);
        Assert.DoesNotContain("catastrophi ", text);
    }

    [Fact]
    public void SuitesTheBaseDoesNotKnowAreNamedBeforeTheRuns()
    {
        var text = string.Join(' ', Render(80).Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)); // lines wrap at spaces
        var note = text.IndexOf("not known = base does not know this suite", StringComparison.Ordinal);
        Assert.True(note >= 0, text);
        Assert.True(note < text.IndexOf(RunNames[0], StringComparison.Ordinal));
        Assert.Contains("element_numbers: base 9.3%, 11 of 118 right, 11.0 known above chance (needs 20", text);
    }

    [Fact]
    public void RunLettersFollowSpreadsheetColumns()
    {
        Assert.Equal("A", ReportTable.Letter(0));
        Assert.Equal("Z", ReportTable.Letter(25));
        Assert.Equal("AA", ReportTable.Letter(26));
        Assert.Equal("AZ", ReportTable.Letter(51));
    }

    /// <summary>Real analysis on hand-built outcomes, so the cells are what a run prints.</summary>
    private static ForgettingReport Report()
    {
        SuiteOutcomes Binary(string suite, SuiteCategory category, double chance, int n, int correct) =>
            new(suite, "1", category, OutcomeKind.Binary, chance == 0 ? "exact_match" : "acc", true, chance,
                Enumerable.Range(0, n).Select(i => $"{suite}-{i}").ToArray(), Enumerable.Range(0, n).Select(i => i < correct ? 1.0 : 0.0).ToArray());
        SuiteOutcomes Text(double shift) =>
            new("text_perplexity", "1", SuiteCategory.Language, OutcomeKind.Continuous, "nats_per_token", false, null,
                Enumerable.Range(0, 50).Select(i => $"t-{i}").ToArray(), Enumerable.Range(0, 50).Select(i => 3.5 + shift + i % 5 * 0.01).ToArray());
        var baseline = new[]
        {
            Binary("target", SuiteCategory.Target, 0, 40, 0), Binary("capitals_recall", SuiteCategory.Knowledge, 0, 200, 187),
            Binary("capitals_mc", SuiteCategory.Knowledge, 0.25, 200, 200), Binary("element_numbers", SuiteCategory.Knowledge, 0, 118, 11),
            Text(0),
        };
        RunReport Run(string name, int target, int capitals, int mc, int elements, double text)
        {
            var checkpoint = new[]
            {
                Binary("target", SuiteCategory.Target, 0, 40, target), Binary("capitals_recall", SuiteCategory.Knowledge, 0, 200, capitals),
                Binary("capitals_mc", SuiteCategory.Knowledge, 0.25, 200, mc), Binary("element_numbers", SuiteCategory.Knowledge, 0, 118, elements),
                Text(text),
            };
            var a = ForgettingAnalysis.Report(baseline.Zip(checkpoint, (b, c) => ForgettingAnalysis.Compare(b, c, 1)).ToList());
            return new RunReport(name, "full", RunStatus.Completed, new Dictionary<string, string>(), a.RunSeverity, a.TargetGainPoints,
                a.ForgettingPoints, true, a.Suites, [new CheckpointReport(80, 1.0, a.Suites)]) { AtChanceShare = a.AtChanceShare };
        }

        return new ForgettingReport("quickstart", DateTimeOffset.UnixEpoch, new BaseModelReport("gpt", "abc",
                baseline.Select(b => new BaseSuiteScore(b.Suite, b.Version, b.Category, b.Metric, b.Values.Average() * 100, b.Values.Count)).ToList()),
            [Run(RunNames[0], 1, 150, 199, 10, 0.1), Run(RunNames[1], 20, 120, 180, 0, 0.2), Run(RunNames[2], 37, 1, 60, 0, 0.4)], RunNames);
    }
}
