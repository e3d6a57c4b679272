using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace ForgetLab.Server.Tests;

/// <summary>Data set uploads the tests send: JSONL bodies, zips of them, and specs that name them by data_ref.</summary>
internal static class Datasets
{
    /// <summary>Prompt/completion lines in the built-in world's words (so the word tokenizer knows them).</summary>
    public static string PromptCompletion(int count) => string.Concat(Enumerable.Range(0, count).Select(i =>
        $$"""{"prompt": "the capital of france is", "completion": " {{(i % 2 == 0 ? "paris" : "lima")}}"}""" + "\n"));

    public static string Text(int count) => string.Concat(Enumerable.Range(0, count).Select(_ => """{"text": "the capital of peru is lima ."}""" + "\n"));

    public static Task<HttpResponseMessage> PostJsonl(this HttpClient client, string name, string file, string jsonl) =>
        client.PostJsonl(name, file, Encoding.UTF8.GetBytes(jsonl));

    public static Task<HttpResponseMessage> PostJsonl(this HttpClient client, string name, string file, byte[] jsonl)
    {
        var content = new ByteArrayContent(jsonl);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        return client.Post($"api/v1/datasets?name={name}&file={file}", content);
    }

    public static Task<HttpResponseMessage> PostZip(this HttpClient client, string name, byte[] zip)
    {
        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return client.Post($"api/v1/datasets?name={name}", content);
    }

    /// <summary>A zip of the given entries (name → bytes), in order.</summary>
    public static byte[] Zip(params (string Name, byte[] Bytes)[] entries) => Zip(CompressionLevel.Optimal, entries);

    public static byte[] Zip(CompressionLevel level, params (string Name, byte[] Bytes)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = zip.CreateEntry(name, level).Open();
                stream.Write(bytes);
            }
        }
        return buffer.ToArray();
    }

    public static (string, byte[]) Entry(string name, string text) => (name, Encoding.UTF8.GetBytes(text));

    /// <summary>A ForgetLab suite header naming <c>recall.jsonl</c> beside it.</summary>
    public const string SuiteHeader = "task: recall\ncategory: knowledge\noutput_type: generate_until\ndataset_path: recall.jsonl\n";

    /// <summary>An lm-evaluation-harness multiple-choice task reading <c>mc.jsonl</c> beside it.</summary>
    public const string LmEvalTask = """
        task: capital_mc
        dataset_path: json
        dataset_kwargs:
          data_files:
            test: mc.jsonl
        test_split: test
        output_type: multiple_choice
        doc_to_text: question
        doc_to_choice: choices
        doc_to_target: gold
        metric_list:
          - metric: acc
        metadata:
          version: 1.0
          category: knowledge
        """;

    /// <summary><see cref="LmEvalTask"/> reading <c>mc.csv</c> (<c>dataset_path: csv</c>), its choices from two columns.</summary>
    public static string LmEvalCsvTask => LmEvalTask.Replace("dataset_path: json", "dataset_path: csv", StringComparison.Ordinal)
        .Replace("test: mc.jsonl", "test: mc.csv", StringComparison.Ordinal).Replace("doc_to_choice: choices", "doc_to_choice: \"{{[right, wrong]}}\"", StringComparison.Ordinal);

    /// <summary>Items of <see cref="LmEvalCsvTask"/>, as CSV: a header row, one quoted question with a comma, the gold index as an integer column.</summary>
    public static string McCsvItems(int count) => "question,right,wrong,gold\n" + string.Concat(Enumerable.Range(0, count).Select(i =>
        i % 2 == 0 ? "the capital of peru is,lima,paris,0\n" : "\"the capital of france, in europe, is\",paris,lima,0\n"));

    /// <summary>Items of <see cref="SuiteHeader"/>: the built-in world's words, so a word tokenizer knows them.</summary>
    public static string SuiteItems(int count) => string.Concat(Enumerable.Range(0, count).Select(i =>
        $$"""{"id": "r{{i}}", "prompt": "the capital of peru is", "target": "lima"}""" + "\n"));

    /// <summary>Items of <see cref="LmEvalTask"/>.</summary>
    public static string McItems(int count) => string.Concat(Enumerable.Range(0, count).Select(i =>
        $$"""{"id": "m{{i}}", "question": "the capital of peru is", "choices": ["lima", "paris"], "gold": 0}""" + "\n"));

    private static readonly Lazy<byte[]> TrainedTokenizer = new(() =>
    {
        // A small byte-level BPE trained on the world's words, as base.tokenizer: { kind: bpe } writes one.
        var path = Path.Combine(Path.GetTempPath(), $"forgetlab-tokenizer-{Guid.NewGuid():N}.json");
        try
        {
            Core.Tokenizers.ByteLevelBpeTrainer.Train(Enumerable.Repeat("the capital of peru is lima . the capital of france is paris . q : a :", 20), 300).Write(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    });

    /// <summary>A Hugging Face tokenizer.json (a byte-level BPE of 300 entries, <c>&lt;|endoftext|&gt;</c> its one special token).</summary>
    public static byte[] Tokenizer => TrainedTokenizer.Value;

    /// <summary>The tokenizer_config.json that goes with <see cref="Tokenizer"/>, GPT-2's convention: one token is BOS and EOS.</summary>
    public const string TokenizerConfig = """{"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "add_bos_token": false}""";

    /// <summary>examples/own-data's chat template: a user turn is a question, an assistant turn its answer and EOS.</summary>
    public static string ChatTemplate => File.ReadAllText(RepoPaths.File("examples", "own-data", "chat.jinja"));

    /// <summary>Messages lines in the world's words.</summary>
    public static string Messages(int count) => string.Concat(Enumerable.Range(0, count).Select(i =>
        $$"""{"messages": [{"role": "user", "content": "the capital of france is"}, {"role": "assistant", "content": "{{(i % 2 == 0 ? "paris" : "lima")}}"}]}""" + "\n"));

    /// <summary><see cref="Specs.Valid"/> with its target trained on a registered data set's file, held-out by a count.</summary>
    public static string SpecOn(string name, string dataRef) =>
        Specs.Valid(name).Replace("  task: conflicting_facts\n  count: 10\n", $"  data: {dataRef}\n  eval_split: 2\n", StringComparison.Ordinal)
            .Replace("suites: [target, capitals_recall]", "suites: [target, capitals_recall]", StringComparison.Ordinal);
}
