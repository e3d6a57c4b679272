using System.Text.Json;
using ForgetLab.Core.Models;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Llama;

namespace ForgetLab.Cli.Tests;

/// <summary>
/// <c>forgetlab model loglikelihood</c> prints what the evaluator computes, one JSON line per request, and
/// <c>forgetlab model generate</c> the decoded greedy continuation; a bad request line is refused with code 2, naming
/// the line and the field, before any model is loaded. (Agreement with lm-eval's and transformers' numbers is
/// ForgetLab.Lab.Tests' LmEvalAgreementTests.)
/// </summary>
public class ModelScoringCommandsTests
{
    [Theory]
    [InlineData("{\"context\": \"a\"}", "requests.jsonl:3: continuation: missing")]
    [InlineData("{\"context\": 1, \"continuation\": \"b\"}", "requests.jsonl:3: context: expected a string, found number")]
    [InlineData("[\"a\", \"b\"]", "requests.jsonl:3: not a JSON object")]
    [InlineData("{\"context\": \"a\", ", "requests.jsonl:3: not a JSON object")]
    public void ABadRequestLineExitsWithCode2NamingTheLineAndTheField(string line, string expected)
    {
        var dir = CliProcess.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "requests.jsonl"), $"{{\"context\": \"x\", \"continuation\": \" y\"}}\n\n{line}\n");
        var result = CliProcess.Run(dir, "model", "loglikelihood", "no-such-folder", "requests.jsonl");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void LoglikelihoodPrintsOneLinePerRequestAsTheEvaluatorScoresItAndGeneratePrintsTheGreedyText()
    {
        var dir = CliProcess.TempDirectory();
        var folder = TinyLlamaFolder(dir);
        File.WriteAllText(Path.Combine(dir, "requests.jsonl"),
            "{\"context\": \"The capital of France is\", \"continuation\": \" Paris\"}\n{\"context\": \"\", \"continuation\": \"hello world\"}\n");

        var scored = CliProcess.Run(dir, "model", "loglikelihood", folder, "requests.jsonl");
        var generated = CliProcess.Run(dir, "model", "generate", folder, "--prompt", "The capital of France is", "--max-new-tokens", "6");

        Assert.True(scored.ExitCode == 0, scored.Stderr);
        Assert.True(generated.ExitCode == 0, generated.Stderr);
        var tokenizer = PretrainedTokenizer.Load(folder);
        using var model = ModelFolder.Load(folder);
        var lm = new TorchLanguageModel(model, tokenizer);
        var expected = lm.Loglikelihood([new("The capital of France is", " Paris"), new("", "hello world")]);
        var lines = scored.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(expected.Select(e => e.LogProb), lines.Select(l => l.GetProperty("loglikelihood").GetDouble()));
        Assert.Equal(expected.Select(e => e.IsGreedy), lines.Select(l => l.GetProperty("is_greedy").GetBoolean()));
        var tokens = lm.GreedyTokens([[.. tokenizer.Encode("The capital of France is")]], 6, stopIds: HfGeneration.EosTokenIds(folder))[0];
        Assert.Equal(tokenizer.Decode(tokens, skipSpecialTokens: true) + "\n", generated.Stdout);
    }

    /// <summary>A random tiny Llama saved as a Hugging Face folder with the SentencePiece fixture as its tokenizer.</summary>
    private static string TinyLlamaFolder(string dir)
    {
        var folder = Path.Combine(dir, "model");
        TorchSharp.torch.random.manual_seed(3);
        using var model = new LlamaModel(new LlamaConfig
        {
            VocabSize = 420, HiddenSize = 32, IntermediateSize = 48, NumHiddenLayers = 2, NumAttentionHeads = 4,
            NumKeyValueHeads = 2, HeadDim = 8, MaxPositionEmbeddings = 32, RmsNormEps = 1e-5,
        });
        ModelFolder.Save(model, folder);
        File.Copy(Path.Combine(RepoRoot(), "tests", "ForgetLab.Core.Tests", "Tokenizers", "Fixtures", "sentencepiece", "llama2-style.model"),
            Path.Combine(folder, SentencePieceTokenizer.FileName));
        return folder;
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "ForgetLab.sln"))) return d.FullName;
        throw new InvalidOperationException("no ForgetLab.sln above the tests");
    }
}
