using System.Text.Json;
using ForgetLab.Lab.Suites.LmEval;

namespace ForgetLab.Lab.Tests.Suites;

/// <summary>
/// The lm-eval fixtures (ARC-, MMLU-, HellaSwag-, GSM8K-, LAMBADA-, WikiText- and SciQ-style, written from lm-eval's own task
/// files; SciQ's from CSV files that pandas reads with their quoting, line breaks and column types) give the
/// same requests and the same metric decisions here as in the independent Python reference written from lm-eval's
/// source: every context byte for byte, every continuation and stop string, every document's few-shot examples, and
/// acc, acc_norm and exact_match (through both GSM8K regex filters) for the same model answers.
/// </summary>
public sealed class LmEvalAgreementTests
{
    public static TheoryData<string> Tasks() => new(
        "arc_style/arc_style.yaml", "mmlu_style/mmlu_style_geography.yaml", "hellaswag_style/hellaswag_style.yaml", "gsm8k_style/gsm8k_style.yaml",
        "lambada_style/lambada_style.yaml", "wikitext_style/wikitext_style.yaml", "sciq_style/sciq_style.yaml");

    [Theory]
    [MemberData(nameof(Tasks))]
    public void PromptsChoicesAndFewshotExamplesEqualTheReferences(string fixture)
    {
        var yaml = LmEvalReference.Fixture(fixture);
        var reference = LmEvalReference.Run(yaml);
        var task = LmEvalTaskReader.Read(yaml);

        var docs = reference.GetProperty("docs").EnumerateArray().ToList();
        Assert.Equal(docs.Count, task.Docs.Count);
        Assert.Equal(reference.GetProperty("version").GetString(), task.Version);
        for (var i = 0; i < docs.Count; i++)
        {
            var expected = docs[i];
            var actual = task.Docs[i];
            Assert.Equal(expected.GetProperty("context").GetString(), actual.Context);
            Assert.Equal(Ints(expected.GetProperty("fewshot")), actual.Fewshot);
            if (expected.TryGetProperty("continuations", out var continuations))
                Assert.Equal(Strings(continuations), actual.Continuations);
            if (expected.TryGetProperty("choices", out var choices))
                Assert.Equal(Strings(choices), actual.Choices);
            if (expected.TryGetProperty("gold", out var gold))
                Assert.Equal(Ints(gold), actual.Gold);
            if (expected.TryGetProperty("references", out var references))
                Assert.Equal(Strings(references), actual.References);
            if (expected.TryGetProperty("until", out var until))
                Assert.Equal(Strings(until), task.Until);
        }
    }

    [Theory]
    [MemberData(nameof(Tasks))]
    public void MetricDecisionsEqualTheReferencesForTheSameModelAnswers(string fixture)
    {
        var yaml = LmEvalReference.Fixture(fixture);
        var reference = LmEvalReference.Run(yaml);
        var lmTask = LmEvalTaskReader.Read(yaml);
        var outputs = lmTask.OutputType == "generate_until" ? Path.Combine(Path.GetDirectoryName(yaml)!, "outputs.jsonl") : null;
        var generations = outputs is null ? [] : File.ReadLines(outputs).Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("doc_id").GetInt32(), e => e.GetProperty("generation").GetString()!);

        var docs = reference.GetProperty("docs").EnumerateArray().ToList();
        var decided = 0;
        for (var i = 0; i < docs.Count; i++)
        {
            if (!docs[i].TryGetProperty("scores", out var scores)) continue;
            IReadOnlyDictionary<string, double> actual;
            if (lmTask.OutputType == "loglikelihood_rolling")
            {
                var (ll, _) = FakeLoglikelihood("", lmTask.Docs[i].Continuations[0]);
                var pairs = lmTask.ScoreRolling(i, ll);
                Assert.Equal(
                    scores.EnumerateObject().ToDictionary(p => p.Name, p => (p.Value[0].GetDouble(), p.Value[1].GetInt32())),
                    pairs.ToDictionary(kv => kv.Key, kv => (kv.Value.LogLikelihood, kv.Value.Count)));
                decided++;
                continue;
            }
            if (lmTask.OutputType == "loglikelihood")
            {
                var (ll, greedy) = FakeLoglikelihood(lmTask.Docs[i].Context, lmTask.Docs[i].Continuations[0]);
                actual = lmTask.ScoreLoglikelihood(ll, greedy);
            }
            else if (lmTask.OutputType == "multiple_choice")
            {
                var answers = lmTask.Docs[i].Continuations.Select(c => FakeLoglikelihood(lmTask.Docs[i].Context, c)).ToList();
                actual = lmTask.ScoreChoices(i, answers.Select(a => a.Ll).ToList(), answers.Select(a => a.Greedy).ToList());
            }
            else
            {
                actual = lmTask.ScoreGeneration(i, generations[i]);
                var filtered = docs[i].GetProperty("filtered").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
                Assert.Equal(filtered, lmTask.Filtered(generations[i]).ToDictionary(kv => kv.Key, kv => (string?)kv.Value));
            }
            Assert.Equal(scores.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()), actual.ToDictionary(kv => kv.Key, kv => kv.Value));
            decided++;
        }
        Assert.Equal(docs.Count, decided);
    }

    // The reference's fake model: -(((Σ code points of the continuation)·7 + len(context)) mod 101) / 10, greedy above −2.
    private static (double Ll, bool Greedy) FakeLoglikelihood(string context, string continuation)
    {
        var sum = continuation.EnumerateRunes().Sum(r => (long)r.Value);
        var ll = -(double)(((sum * 7) + context.EnumerateRunes().Count()) % 101) / 10;
        return (ll, ll > -2);
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    private static List<int> Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToList();
}
