using System.Text.Json.Nodes;
using ForgetLab.Cli.Commands;

namespace ForgetLab.Cli.Tests;

/// <summary><c>forgetlab compare</c>'s table from a <c>GET /api/v1/compare</c> answer.</summary>
public class CompareTableTests
{
    private const string Answer = """
        {"reference":"exp/lora","runs":[
          {"run":"exp/lora","method":"lora-r8","status":"Completed","finalStep":50,"severity":"none","targetGainPoints":30,"forgettingPoints":0},
          {"run":"exp/full","method":"full","status":"Completed","finalStep":50,"severity":"moderate","targetGainPoints":40,"forgettingPoints":40}],
         "suites":[
          {"suite":"target","category":"Target","kind":"Binary","metric":"exact_match",
           "runs":[{"run":"exp/lora","version":"2","base":0,"score":30,"deltaPoints":30,"severity":null},{"run":"exp/full","version":"1","base":0,"score":40,"deltaPoints":40,"severity":null}],
           "paired":[{"run":"exp/full","paired":false,"reason":"suite versions differ ('2' and '1'): not the same items","n":0,"unpaired":0,"referenceScore":null,"score":null,"deltaPoints":null,"ci95":null,"pValue":null,"lost":0,"gained":0}]},
          {"suite":"capitals_recall","category":"Knowledge","kind":"Binary","metric":"exact_match",
           "runs":[{"run":"exp/lora","version":"1","base":100,"score":100,"deltaPoints":0,"severity":"none"},{"run":"exp/full","version":"1","base":100,"score":60,"deltaPoints":-40,"severity":"moderate"}],
           "paired":[{"run":"exp/full","paired":true,"reason":null,"n":10,"unpaired":1,"referenceScore":100,"score":60,"deltaPoints":-40,"ci95":[-70.4,-9.6],"pValue":0.125,"lost":4,"gained":0}]}],
         "onlyInSome":["text_perplexity"]}
        """;

    [Fact]
    public void EachSuiteIsOneRowWithTheDeltasSideBySideAndThePairedComparison()
    {
        var output = new StringWriter();
        CompareTable.Write(JsonNode.Parse(Answer)!, output);
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        Assert.Equal("reference: exp/lora", lines[0]);
        var capitals = lines.Single(l => l.StartsWith("capitals_recall", StringComparison.Ordinal));
        Assert.Contains("0.0 (v1)", capitals);
        Assert.Contains("-40.0 (v1)", capitals);
        Assert.Contains("-40.0 [-70.4, -9.6] p=0.125, n=10, 4/0", capitals);
        Assert.Contains("not paired: suite versions differ", lines.Single(l => l.StartsWith("target", StringComparison.Ordinal)));
        Assert.Contains("B = exp/full", lines);
        Assert.Contains("left out (not evaluated on every run): text_perplexity", lines);
    }
}
