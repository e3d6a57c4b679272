// Encodes every test text with every tokenizer.json through Hugging Face's Rust tokenizers (Tokenizers.DotNet 1.4.1
// wraps it: Encode adds the post-processor's special tokens, Decode skips special tokens) and writes
// <name>.rust.json beside the JavaScript reference's <name>.expected.json.
//   usage: dotnet run -- MODELS_DIR FIXTURE_DIR
using System.Text.Encodings.Web;
using System.Text.Json;
using Tokenizers.DotNet;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run -- MODELS_DIR FIXTURE_DIR");
    return 2;
}
var (models, fixtures) = (args[0], args[1]);
var texts = JsonSerializer.Deserialize<List<string>>(File.ReadAllText(Path.Combine(fixtures, "texts.json")))!;
var syntheticTexts = JsonSerializer.Deserialize<List<string>>(File.ReadAllText(Path.Combine(fixtures, "synthetic-texts.json")))!;
var options = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

void Run(string name, string tokenizerJson, IReadOnlyList<string> inputs)
{
    using var tokenizer = new Tokenizer(vocabPath: tokenizerJson);
    var cases = inputs.Select(text =>
    {
        var ids = tokenizer.Encode(text);
        return new { text, ids = ids.Select(i => (int)i).ToArray(), decoded_skipping_special_tokens = ids.Length == 0 ? "" : tokenizer.Decode(ids) };
    }).ToArray();
    // One case a line, so a regenerated file diffs by text.
    var header = JsonSerializer.Serialize(new { tokenizer = name, reference = $"Hugging Face tokenizers (Rust) through Tokenizers.DotNet {tokenizer.GetVersion()}" }, options);
    var lines = string.Join(",\n", cases.Select(c => JsonSerializer.Serialize(c, options)));
    File.WriteAllText(Path.Combine(fixtures, name + ".rust.json"), $"{header[..^1]},\"cases\":[\n{lines}\n]}}\n");
    Console.WriteLine($"{name}: {cases.Length} texts, {cases.Sum(c => c.ids.Length)} tokens");
}

foreach (var dir in Directory.GetDirectories(models).Order(StringComparer.Ordinal))
    if (File.Exists(Path.Combine(dir, "tokenizer.json"))) Run(Path.GetFileName(dir), Path.Combine(dir, "tokenizer.json"), texts);
foreach (var file in Directory.GetFiles(Path.Combine(fixtures, "synthetic"), "*.json").Order(StringComparer.Ordinal))
    if (!file.EndsWith(".expected.json", StringComparison.Ordinal) && !file.EndsWith(".rust.json", StringComparison.Ordinal))
        Run(Path.Combine("synthetic", Path.GetFileNameWithoutExtension(file)), file, [.. texts, .. syntheticTexts]);
return 0;
