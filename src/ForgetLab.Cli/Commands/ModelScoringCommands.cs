using System.CommandLine;
using System.Text.Json;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Model;

namespace ForgetLab.Cli.Commands;

/// <summary>
/// <c>forgetlab model loglikelihood DIR REQUESTS.jsonl</c> and <c>forgetlab model generate DIR --prompt …</c>: a
/// Hugging Face folder (config.json, safetensors, tokenizer.json or tokenizer.model, tokenizer_config.json) scored as
/// lm-evaluation-harness scores it and continued as transformers' greedy <c>generate</c> continues it, for users and
/// for checking ForgetLab against other implementations.
/// </summary>
internal static class ModelScoringCommands
{
    public static IEnumerable<Command> Create()
    {
        var folder = new Argument<string>("folder") { Description = "a Hugging Face model folder: config.json, model.safetensors (or shards), tokenizer.json or tokenizer.model" };
        var requests = new Argument<string>("requests") { Description = "a JSON-lines file, one {\"context\": …, \"continuation\": …} object per line" };
        var batchSize = new Option<int>("--batch-size") { Description = "requests per forward", DefaultValueFactory = _ => 16 };
        var addBos = new Option<bool?>("--add-bos-token") { Description = "lm-eval's add_bos_token (default: the tokenizer's post-processor decides)" };
        var prefix = new Option<int?>("--prefix-token-id") { Description = "lm-eval's prefix_token_id for an empty context (default: BOS, else EOS)" };
        var maxLength = new Option<int?>("--max-length") { Description = "lm-eval's max_length (default: the model's positions)" };
        var loglikelihood = new Command("loglikelihood", "print {\"loglikelihood\", \"is_greedy\"} per request line, as lm-evaluation-harness's loglikelihood defines them")
        {
            folder, requests, batchSize, addBos, prefix, maxLength,
        };
        loglikelihood.SetAction(parse => Guard(() =>
        {
            var file = parse.GetValue(requests)!;
            var lines = ReadRequests(file);
            var (model, tokenizer) = Load(parse.GetValue(folder)!);
            using (model)
            {
                var lm = new TorchLanguageModel(model, tokenizer, Math.Max(1, parse.GetValue(batchSize)),
                    new LmEvalOptions(parse.GetValue(addBos), parse.GetValue(prefix), parse.GetValue(maxLength)));
                foreach (var (request, line) in lines.Select((r, i) => (r, i + 1)))
                {
                    var (_, continuation) = lm.Encoding.EncodePair(request.Context, request.Continuation);
                    if (continuation.Length == 0) throw new SpecUsageException($"{file}:{line}: continuation: adds no tokens to the context, so there is nothing to score");
                    if (continuation.Length > lm.MaxLength) throw new SpecUsageException($"{file}:{line}: continuation: {continuation.Length} tokens, more than the model's maximum length {lm.MaxLength}");
                }
                foreach (var result in lm.Loglikelihood(lines))
                    Console.WriteLine(JsonSerializer.Serialize(new { loglikelihood = result.LogProb, is_greedy = result.IsGreedy }));
            }
            return 0;
        }));

        var generateFolder = new Argument<string>("folder") { Description = "a Hugging Face model folder" };
        var prompt = new Option<string>("--prompt") { Description = "the text to continue (encoded with the tokenizer's special tokens, as tokenizer(prompt) does)", Required = true };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "tokens to generate at most", DefaultValueFactory = _ => 32 };
        var generate = new Command("generate", "greedy continuation of a prompt, decoded without special tokens, as transformers' generate(do_sample=False) gives it")
        {
            generateFolder, prompt, maxNewTokens,
        };
        generate.SetAction(parse => Guard(() =>
        {
            var dir = parse.GetValue(generateFolder)!;
            var (model, tokenizer) = Load(dir);
            using (model)
            {
                var ids = tokenizer.Encode(parse.GetValue(prompt)!).ToArray();
                if (ids.Length == 0) throw new SpecUsageException("--prompt: encodes to no tokens (and the tokenizer adds none): generation needs at least one");
                var lm = new TorchLanguageModel(model, tokenizer, batchSize: 1);
                var tokens = lm.GreedyTokens([ids], parse.GetValue(maxNewTokens), stopIds: HfGeneration.EosTokenIds(dir))[0];
                Console.WriteLine(tokenizer.Decode(tokens, skipSpecialTokens: true));
            }
            return 0;
        }));
        return [loglikelihood, generate];
    }

    /// <summary>Every line a {"context", "continuation"} object of strings (blank lines aside); the first bad one is named by line and field.</summary>
    internal static List<LoglikelihoodRequest> ReadRequests(string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"{file}: no such requests file", file);
        var requests = new List<LoglikelihoodRequest>();
        var number = 0;
        foreach (var line in File.ReadLines(file))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                throw new SpecUsageException($"{file}:{number}: not a JSON object");
            }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new SpecUsageException($"{file}:{number}: not a JSON object");
                string Field(string name) => doc.RootElement.TryGetProperty(name, out var value)
                    ? value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new SpecUsageException($"{file}:{number}: {name}: expected a string, found {value.ValueKind.ToString().ToLowerInvariant()}")
                    : throw new SpecUsageException($"{file}:{number}: {name}: missing");
                requests.Add(new LoglikelihoodRequest(Field("context"), Field("continuation")));
            }
        }
        if (requests.Count == 0) throw new SpecUsageException($"{file}: holds no requests");
        return requests;
    }

    private static (CausalLanguageModel Model, PretrainedTokenizer Tokenizer) Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: no such model folder");
        var tokenizer = PretrainedTokenizer.Load(dir);
        var model = ModelFolder.Load(dir);
        if (tokenizer.CheckFits(model.Config.VocabSize) is { } misfit)
        {
            model.Dispose();
            throw new SpecUsageException($"{dir}: {misfit}");
        }
        return (model, tokenizer);
    }

    /// <summary>Bad folders and requests are exit code 2 with the message alone, as elsewhere in the CLI.</summary>
    private static int Guard(Func<int> action) => Exit.Guard(() =>
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is InvalidDataException or TokenizerFormatException or ArgumentException)
        {
            throw new SpecUsageException(e.Message);
        }
    });
}
