using System.Text.Json;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Tests.Reports;

public class ReportJsonTests
{
    private static readonly JsonElement Root = JsonDocument.Parse(ReportJson.Serialize(SampleReport.Create())).RootElement;

    [Fact]
    public void ReportSerialisesToTheContractFieldNames()
    {
        AssertFields(Root, "spec_name", "created_utc", "base", "runs", "frontier", "seed_groups", "data");
        AssertFields(Root.GetProperty("base"), "model", "model_hash", "suites");
        AssertFields(Root.GetProperty("base").GetProperty("suites")[0], "suite", "version", "category", "metric", "score", "n");
        var run = Root.GetProperty("runs")[0];
        AssertFields(run, "name", "method", "status", "hyperparameters", "severity", "target_gain_points",
            "forgetting_points", "pareto_optimal", "suites", "checkpoints", "reason", "at_chance_share", "time");
        AssertFields(run.GetProperty("checkpoints")[0], "step", "train_loss", "suites", "drift", "training_seconds", "evaluation_seconds", "rl");
        AssertFields(run.GetProperty("suites")[0], "suite", "version", "category", "metric", "kind", "base", "score",
            "delta_points", "relative_change", "ci95", "p_value", "p_holm", "severity", "retention", "n", "lost", "gained",
            "base_competence", "known_item_retention", "known_item_retention_ci95", "higher_is_better");
    }

    [Fact]
    public void EnumsAreLowerCaseStringsAndContinuousSuitesHaveNullSeverity()
    {
        var full = Root.GetProperty("runs")[0];
        Assert.Equal("completed", full.GetProperty("status").GetString());
        Assert.Equal("stopped_early", Root.GetProperty("runs")[1].GetProperty("status").GetString());
        Assert.Equal("moderate", full.GetProperty("severity").GetString());
        var capitals = full.GetProperty("suites")[0];
        Assert.Equal("knowledge", capitals.GetProperty("category").GetString());
        Assert.Equal("binary", capitals.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, capitals.GetProperty("relative_change").ValueKind);
        Assert.Equal([-18.0, -6.5], capitals.GetProperty("ci95").EnumerateArray().Select(e => e.GetDouble()));
        var wiki = full.GetProperty("suites")[1];
        Assert.Equal("language", wiki.GetProperty("category").GetString());
        Assert.Equal("continuous", wiki.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, wiki.GetProperty("severity").ValueKind);
    }

    [Fact]
    public void HyperparameterKeysAreKeptAsWritten()
    {
        var hyper = Root.GetProperty("runs")[1].GetProperty("hyperparameters");
        Assert.Equal("8", hyper.GetProperty("rank").GetString());
        Assert.Equal("1e-3", hyper.GetProperty("lr").GetString());
    }

    [Fact]
    public void ReportRoundTripsThroughJsonUnchanged()
    {
        var json = ReportJson.Serialize(SampleReport.Create());
        var back = ReportJson.Deserialize(json);
        Assert.Equal(json, ReportJson.Serialize(back));
        Assert.Equal(Severity.Moderate, back.Runs[0].Suites[0].Severity);
        Assert.Equal(["Q_France_capital", "Q_Peru_capital"], back.Runs[0].Suites[0].Lost);
        Assert.True(double.IsNaN(back.Runs[1].Checkpoints[0].TrainLoss!.Value));
        Assert.Equal(SampleReport.Create().CreatedUtc, back.CreatedUtc);
    }

    [Fact]
    public void AnUnknownEnumNameIsRejected()
    {
        var json = ReportJson.Serialize(SampleReport.Create()).Replace("\"moderate\"", "\"dire\"", StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => ReportJson.Deserialize(json));
    }

    private static void AssertFields(JsonElement element, params string[] expected) =>
        Assert.Equal(expected, element.EnumerateObject().Select(p => p.Name));
}
