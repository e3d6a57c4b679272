using System.Net;
using Azure.Storage.Blobs;
using ForgetLab.Core.Tests.Models;

namespace ForgetLab.Server.Tests;

/// <summary>
/// A Hugging Face folder of another architecture through the whole platform: a tiny Llama (grouped-query
/// attention, BF16 weights in two shards with their index) uploaded to the registry, named by a spec's
/// <c>base.model_ref</c>, fetched and verified by a real worker process and fine-tuned to completion, with
/// its architecture, parameters, dtype and tokenizer in the experiment's API; and a registered folder
/// whose shard changed in storage afterwards is refused by the worker before any job starts.
/// </summary>
public sealed class HfModelPlatformTests(PlatformFixture platform)
{
    private const string Run = "full-lr1e-3-steps2-seed3";

    [Fact]
    public async Task ATinyShardedLlamaUploadedToTheRegistryIsFetchedVerifiedAndFineTunedByAWorkerAndATamperedShardIsRefused()
    {
        var cluster = $"llama-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (_, key) = await PlatformFixture.NewTenant(server, "llama");
        using var client = server.Client(key);
        // The word vocabulary: the lab's own tokenizer for a registered base (a Hugging Face tokenizer is the lab's to load).
        var files = TinyHfFolders.Llama("BF16", sharded: true, wordVocab: true);
        var zip = HostileUploads.Zip(files.Select(f => (f.Key, f.Value)), null);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("api/v1/models?name=tiny-llama", ModelFolders.ZipContent(zip), Cancel)).StatusCode);
        var (tamperedStatus, tampered) = await client.PostAsync("api/v1/models?name=tampered", ModelFolders.ZipContent(zip), Cancel).Json();
        Assert.Equal(HttpStatusCode.Created, tamperedStatus);
        await using var worker = await WorkerProcess.StartAsync(
            platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(), Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1");

        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(Spec("llama", "tiny-llama"))).StatusCode);
        var run = await WorkerTests.WaitForRun(client, "llama", Run, r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => worker.Output);

        Assert.True(WorkerTests.State(run) == "Completed", worker.Output);
        Assert.Contains("Downloaded model tiny-llama", worker.Output);
        Assert.Contains($"{files.Count} files", worker.Output);
        var (status, experiment) = await client.Get("api/v1/experiments/llama").Json();
        Assert.Equal(HttpStatusCode.OK, status);
        var baseModel = experiment!["base"]!;
        Assert.Equal(("llama", 760L, "BF16", "word", 16), ((string)baseModel["modelType"]!, (long)baseModel["parameters"]!, (string)baseModel["dtype"]!,
            (string)baseModel["tokenizer"]!["kind"]!, (int)baseModel["tokenizer"]!["vocabSize"]!));

        // The same bytes' length, one bit flipped in the second shard's last tensor: only the hash tells.
        var prefix = ((string)tampered!["blobPrefix"]!)["checkpoints/".Length..];
        var shard = new BlobServiceClient(platform.Azurite.ConnectionString).GetBlobContainerClient("checkpoints").GetBlobClient(prefix + "model-00002-of-00002.safetensors");
        var bytes = files["model-00002-of-00002.safetensors"].ToArray();
        bytes[^1] ^= 1;
        await shard.UploadAsync(new BinaryData(bytes), overwrite: true, Cancel);
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(Spec("tampered", "tampered"))).StatusCode);
        var refused = await WorkerTests.WaitForRun(client, "tampered", Run, r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(2), () => worker.Output);

        Assert.Equal("Failed", WorkerTests.State(refused));
        var reasons = string.Join("\n", refused["transitions"]!.AsArray().Select(t => (string?)t!["reason"]));
        Assert.Contains("model 'tampered': model-00002-of-00002.safetensors has", reasons);
        Assert.Contains("the registry recorded", reasons);
    }

    [Fact]
    public async Task ALlamaWorldBaseWithASentencePieceTokenizerPretrainedByAWorkerIsStoredWithItsTokenizerRegisteredAndFineTunedByName()
    {
        var cluster = $"spbase-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (_, key) = await PlatformFixture.NewTenant(server, "sp");
        using var client = server.Client(key);
        await using var worker = await WorkerProcess.StartAsync(
            platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(), Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1");
        var tiny = TinySpecs.Grid("sp-world", steps: 2, every: 2, suites: "target, capitals_recall, text_perplexity");
        var spec = tiny.Replace("world: builtin\n", "world: builtin\n  architecture: llama\n  tokenizer: { kind: sentencepiece, vocab_size: 400 }\n", StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(spec)).StatusCode);
        var pretrained = await WorkerTests.WaitForRun(client, "sp-world", Run, r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => worker.Output);
        Assert.True(WorkerTests.State(pretrained) == "Completed", worker.Output);

        // The stored base is the folder the lab wrote: its SentencePiece model and transformers' configs, and no word vocabulary.
        var (registered, model) = await client.PostJson("api/v1/models", new { name = "sp-base", experiment = "sp-world" }).Json();
        Assert.Equal(HttpStatusCode.Created, registered);
        var files = model!["files"]!.AsArray().Select(f => (string)f!["name"]!).ToList();
        Assert.Equal(["config.json", "generation_config.json", "model.safetensors", "special_tokens_map.json", "tokenizer.model", "tokenizer_config.json"], files.Order(StringComparer.Ordinal));
        Assert.Equal(("llama", "sentencepiece"), ((string)model["architecture"]!["modelType"]!, (string)model["architecture"]!["tokenizer"]!["kind"]!));

        var byName = tiny[..tiny.IndexOf("base:", StringComparison.Ordinal)] + "base:\n  model_ref: sp-base\n" + tiny[tiny.IndexOf("target:", StringComparison.Ordinal)..];
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(byName.Replace("name: sp-world", "name: sp-by-name", StringComparison.Ordinal))).StatusCode);
        var fineTuned = await WorkerTests.WaitForRun(client, "sp-by-name", Run, r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => worker.Output);

        Assert.True(WorkerTests.State(fineTuned) == "Completed", worker.Output);
        Assert.Contains("Downloaded model sp-base", worker.Output);

        // One scoring rule: the base the worker pre-trained (BOS before every document) scored by the lab's runner equals
        // the registered copy of the same folder scored as lm-eval scores a tokenizer.model folder (BOS first), suite by
        // suite. Each was evaluated under its own key, not reused, and text_perplexity would differ under EOS-first scoring.
        var worldReport = (await client.Get("api/v1/experiments/sp-world/report").Json()).Body!;
        var namedReport = (await client.Get("api/v1/experiments/sp-by-name/report").Json()).Body!;
        Assert.NotEqual((string)worldReport["base"]!["model_hash"]!, (string)namedReport["base"]!["model_hash"]!);
        Assert.Equal(2, worker.Output.Split("baseline recorded for text_perplexity@").Length - 1);
        Assert.Equal(worldReport["base"]!["suites"]!.ToJsonString(), namedReport["base"]!["suites"]!.ToJsonString());
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Spec(string name, string model)
    {
        var tiny = TinySpecs.Grid(name, steps: 2, every: 2, suites: "target, capitals_recall");
        return tiny[..tiny.IndexOf("base:", StringComparison.Ordinal)] + $"base:\n  model_ref: {model}\n" + tiny[tiny.IndexOf("target:", StringComparison.Ordinal)..];
    }
}
