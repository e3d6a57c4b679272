using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;

namespace ForgetLab.Server.Tests;

/// <summary>
/// A registered data set through a real worker: the spec names the target file and the replay corpus by data_ref, the
/// worker downloads and verifies them, the job trains on them, and the platform's report carries their bounds (hash,
/// examples, tokens) as the lab's does. A data set whose stored bytes no longer match their recorded hash fails the run.
/// </summary>
public sealed class DatasetPlatformTests(PlatformFixture platform)
{
    /// <summary>The one run of <see cref="Spec"/>: replay names itself in the run's name.</summary>
    private const string RunName = "full-lr1e-3-steps4-seed3-replay0.5";

    private static string Spec(string name, string dataset) => TinySpecs.Grid(name, steps: 4, every: 2, suites: "target, capitals_recall")
        .Replace("target: { task: conflicting_facts, count: 6 }",
            $"target: {{ data: {{ data_ref: {dataset}, file: train.jsonl }}, eval_split: 2 }}", StringComparison.Ordinal)
        .Replace("checkpoint_every: 2 }", $"checkpoint_every: 2, replay: {{ ratio: 0.5, corpus: {{ data_ref: {dataset}, file: general.jsonl }} }} }}", StringComparison.Ordinal);

    [Fact]
    public async Task AWorkerTrainsOnAnUploadedDataSetAndTheReportRecordsItsBounds()
    {
        var cluster = $"data-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (tenant, key) = await PlatformFixture.NewTenant(server, "dataruns");
        using var client = server.Client(key);
        var train = Datasets.PromptCompletion(8);
        var general = Datasets.Text(5);
        var zip = Datasets.Zip(Datasets.Entry("train.jsonl", train), Datasets.Entry("general.jsonl", general));
        Assert.Equal(HttpStatusCode.Created, (await client.PostZip("tickets", zip)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostZip("tampered", zip)).StatusCode);
        var (_, tampered) = await client.Get("api/v1/datasets/tampered").Json();
        // Someone with access to the storage account changes a stored file behind the registry's back.
        var prefix = ((string)tampered!["blobPrefix"]!)["checkpoints/".Length..];
        await new BlobServiceClient(platform.Azurite.ConnectionString).GetBlobContainerClient("checkpoints").GetBlobClient(prefix + "train.jsonl")
            .UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(Datasets.PromptCompletion(9))), overwrite: true, TestContext.Current.CancellationToken);

        await using var worker = await WorkerProcess.StartAsync(
            platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(), Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1");
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(Spec("on-tickets", "tickets"))).StatusCode);
        var run = await WorkerTests.WaitForRun(client, "on-tickets", RunName, r => WorkerTests.State(r) is "Completed" or "Failed",
            TimeSpan.FromMinutes(3), () => worker.Output);

        Assert.True(WorkerTests.State(run) == "Completed", $"{run.ToJsonString()}\n{worker.Output}");
        Assert.Contains($"Downloaded data set tickets of {tenant}", worker.Output);
        var (status, report) = await client.Get("api/v1/experiments/on-tickets/report").Json();
        Assert.Equal(HttpStatusCode.OK, status);
        var data = report!["data"]!.AsArray().Select(d => ((string)d!["role"]!, (string)d["file"]!, (string)d["sha256"]!, (int)d["examples"]!)).ToList();
        Assert.Equal([
            ("target", "data_ref:tickets/train.jsonl", Sha(train), 6),
            ("target_eval", "data_ref:tickets/train.jsonl", Sha(train), 2),
            ("replay_corpus", "data_ref:tickets/general.jsonl", Sha(general), 5),
        ], data);
        Assert.All(report["data"]!.AsArray(), d => Assert.True((long)d!["tokens"]! > 0));
        Assert.All(report["runs"]!.AsArray(), r => Assert.Null(r!["data"])); // gathered into the report's data, as the lab writes it
        var markdown = await client.Get("api/v1/experiments/on-tickets/report?format=markdown").Text();
        Assert.Contains("data_ref:tickets/train.jsonl", markdown.Body);

        // Published, the experiment is on the board with its scores, and nothing of its data: no file name, hash or line.
        Assert.Equal(HttpStatusCode.OK, (await client.Post("api/v1/experiments/on-tickets/publish").Json()).Status);
        var (_, otherKey) = await PlatformFixture.NewTenant(server, "onlooker");
        using var onlooker = server.Client(otherKey);
        var (boardStatus, board) = await onlooker.Get("api/v1/board").Text();
        Assert.Equal(HttpStatusCode.OK, boardStatus);
        Assert.Contains(RunName, board);
        foreach (var secret in new[] { "tickets/", "train.jsonl", "general.jsonl", Sha(train), Sha(general), "the capital of france is", "the capital of peru is" })
            Assert.DoesNotContain(secret, board, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(Spec("on-tampered", "tampered"))).StatusCode);
        var failed = await WorkerTests.WaitForRun(client, "on-tampered", RunName, r => WorkerTests.State(r) is "Completed" or "Failed",
            TimeSpan.FromMinutes(2), () => worker.Output);
        Assert.Equal("Failed", WorkerTests.State(failed));
        Assert.Contains("data set 'tampered': train.jsonl has", failed["transitions"]!.AsArray()[^1]!["reason"]!.ToString());
    }

    /// <summary>
    /// examples/own-world through the platform, in small: the base pre-trained from scratch on a slice of its corpus (a data
    /// set) with a word tokenizer built from it, fine-tuned on four of its edits (another data set, the paraphrases held out),
    /// and scored on a slice of its ForgetLab suite and of its lm-eval task, each uploaded as a data set of header and items.
    /// </summary>
    [Fact]
    public async Task TheOwnWorldExampleRunsFromDataSetsForCorpusTargetAndSuites()
    {
        var cluster = $"own-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (tenant, key) = await PlatformFixture.NewTenant(server, "ownworld");
        using var client = server.Client(key);
        var corpus = Head("corpus.jsonl", 120);
        var uploads = new[]
        {
            ("tz-corpus", Datasets.Zip(Datasets.Entry("corpus.jsonl", corpus))),
            ("tz-edits", Datasets.Zip(Datasets.Entry("edits.jsonl", Head("edits.jsonl", 4)), Datasets.Entry("edits-paraphrase.jsonl", Head("edits-paraphrase.jsonl", 4)))),
            ("tz-suites", Datasets.Zip(Datasets.Entry("country_recall.yaml", Head("suites/country_recall.yaml", 99)), Datasets.Entry("country_recall.jsonl", Head("suites/country_recall.jsonl", 8)))),
            ("tz-country-mc", Datasets.Zip(Datasets.Entry("country_mc.yaml", Head("suites/country_mc/country_mc.yaml", 99)), Datasets.Entry("country_mc.jsonl", Head("suites/country_mc/country_mc.jsonl", 8)))),
            // The same eight items as an lm-eval task reading CSV: it must score exactly as the JSON one.
            ("tz-country-csv", Datasets.Zip(Datasets.Entry("country_csv.yaml", CountryCsvTask), Datasets.Entry("country_csv.csv", CountryCsv(Head("suites/country_mc/country_mc.jsonl", 8))))),
        };
        foreach (var (name, zip) in uploads)
            Assert.Equal(HttpStatusCode.Created, (await client.PostZip(name, zip)).StatusCode);

        await using var worker = await WorkerProcess.StartAsync(
            platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(), Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1");
        var (submitted, accepted) = await client.SubmitYaml(OwnWorldSpec).Json();
        Assert.True(submitted == HttpStatusCode.Created, accepted?.ToJsonString());
        var runName = (string)accepted!["runIds"]!.AsArray().Single()!;
        var run = await WorkerTests.WaitForRun(client, "own-tiny", runName, r => WorkerTests.State(r) is "Completed" or "Failed",
            TimeSpan.FromMinutes(3), () => worker.Output);

        Assert.True(WorkerTests.State(run) == "Completed", $"{run.ToJsonString()}\n{worker.Output}");
        foreach (var (name, _) in uploads) Assert.Contains($"Downloaded data set {name} of {tenant}", worker.Output);
        var (status, report) = await client.Get("api/v1/experiments/own-tiny/report").Json();
        Assert.Equal(HttpStatusCode.OK, status);
        var suites = report!["base"]!["suites"]!.AsArray();
        Assert.Equal(["target", "country_recall", "country_mc", "country_csv"], suites.Select(x => (string)x!["suite"]!));
        Assert.Equal(8, (int)suites[1]!["n"]!);
        Assert.Equal((double)suites[2]!["score"]!, (double)suites[3]!["score"]!);
        Assert.Equal(8, (int)suites[3]!["n"]!);
        var data = report["data"]!.AsArray().Select(d => ((string)d!["role"]!, (string)d["file"]!, (string)d["sha256"]!)).ToList();
        Assert.Contains(("pretrain_corpus", "data_ref:tz-corpus", Sha(corpus)), data);
        Assert.Contains(data, d => d is ("target_eval", "data_ref:tz-edits/edits-paraphrase.jsonl", _));
    }

    /// <summary>
    /// A base pre-trained from scratch with a tokenizer.json from a data set (and the tokenizer_config.json beside it), then
    /// fine-tuned on messages rendered with a chat template from the same data set: both resolve in the worker's folder of
    /// the data set as a local path does in the lab.
    /// </summary>
    [Fact]
    public async Task AWorkerPretrainsWithAnUploadedTokenizerAndRendersMessagesWithAnUploadedChatTemplate()
    {
        var cluster = $"tok-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (tenant, key) = await PlatformFixture.NewTenant(server, "tokruns");
        using var client = server.Client(key);
        var chat = Datasets.Messages(8);
        Assert.Equal(HttpStatusCode.Created, (await client.PostZip("tz-tok", Datasets.Zip(("tokenizer.json", Datasets.Tokenizer),
            Datasets.Entry("tokenizer_config.json", Datasets.TokenizerConfig), Datasets.Entry("chat.jinja", Datasets.ChatTemplate)))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonl("tz-chat", "chat.jsonl", chat)).StatusCode);

        var cache = Directory.CreateTempSubdirectory("forgetlab-cache-").FullName;
        await using var worker = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(), cache, $"{cluster}-w1");
        var (submitted, accepted) = await client.SubmitYaml(TokenizerSpec).Json();
        Assert.True(submitted == HttpStatusCode.Created, accepted?.ToJsonString());
        var runName = (string)accepted!["runIds"]!.AsArray().Single()!;
        var run = await WorkerTests.WaitForRun(client, "tok-tiny", runName, r => WorkerTests.State(r) is "Completed" or "Failed",
            TimeSpan.FromMinutes(3), () => worker.Output);

        Assert.True(WorkerTests.State(run) == "Completed", $"{run.ToJsonString()}\n{worker.Output}");
        Assert.Contains($"Downloaded data set tz-tok of {tenant}", worker.Output);
        var (status, report) = await client.Get("api/v1/experiments/tok-tiny/report").Json();
        Assert.Equal(HttpStatusCode.OK, status);
        var data = report!["data"]!.AsArray().Select(d => ((string)d!["role"]!, (string)d["file"]!, (string)d["sha256"]!, (int)d["examples"]!)).ToList();
        Assert.Equal([("target", "data_ref:tz-chat", Sha(chat), 6), ("target_eval", "data_ref:tz-chat", Sha(chat), 2)], data);
        Assert.All(report["data"]!.AsArray(), d => Assert.True((long)d!["tokens"]! > 0));
        // The base the job pre-trained carries the uploaded tokenizer and its config, byte for byte, as kind: file copies a path's.
        var baseTokenizer = Assert.Single(Directory.GetFiles(cache, "tokenizer.json", SearchOption.AllDirectories));
        Assert.Equal(Datasets.Tokenizer, File.ReadAllBytes(baseTokenizer));
        Assert.Equal(Datasets.TokenizerConfig, File.ReadAllText(Path.Combine(Path.GetDirectoryName(baseTokenizer)!, "tokenizer_config.json")));
    }

    private const string TokenizerSpec = """
        name: tok-tiny
        seed: 3
        base:
          world: builtin
          tokenizer: { kind: file, path: { data_ref: tz-tok, file: tokenizer.json } }
          model: { n_layer: 1, n_head: 2, n_embd: 32, n_ctx: 128 }
          pretrain: { steps: 10, batch_size: 8, lr: 3.0e-3, warmup_steps: 2 }
        target:
          data: { data_ref: tz-chat }
          eval_split: 2
          chat_template: { data_ref: tz-tok }
        suites: [target, capitals_recall]
        train: { steps: 2, batch_size: 4, warmup_steps: 1, checkpoint_every: 2 }
        grid:
          method: [ { type: full } ]
          lr: [1.0e-3]
        eval: { max_items: 8, batch_size: 8, bootstrap_resamples: 200 }
        """;

    private const string OwnWorldSpec = """
        name: own-tiny
        seed: 3
        base:
          world: builtin
          tokenizer: { kind: word }
          model: { n_layer: 1, n_head: 2, n_embd: 32, n_ctx: 64 }
          pretrain: { steps: 10, batch_size: 8, lr: 3.0e-3, warmup_steps: 2, corpus: { data_ref: tz-corpus } }
        target:
          data: { data_ref: tz-edits, file: edits.jsonl }
          eval_data: { data_ref: tz-edits, file: edits-paraphrase.jsonl }
        suites:
          - target
          - { data_ref: tz-suites, file: country_recall.yaml }
          - { data_ref: tz-country-mc }
          - { data_ref: tz-country-csv }
        train: { steps: 2, batch_size: 4, warmup_steps: 1, checkpoint_every: 2, replay: { ratio: 0.5 } }
        grid:
          method: [ { type: full } ]
          lr: [1.0e-3]
        eval: { max_items: 8, batch_size: 8, bootstrap_resamples: 200 }
        """;

    /// <summary>country_mc.yaml reading its items from CSV: the choices from four columns, the gold index from a fifth.</summary>
    private const string CountryCsvTask = """
        task: country_csv
        dataset_path: csv
        dataset_kwargs:
          data_files:
            test: country_csv.csv
        test_split: test
        output_type: multiple_choice
        doc_to_text: question
        doc_to_choice: "{{[a, b, c, d]}}"
        doc_to_target: gold
        metric_list:
          - metric: acc
        metadata:
          version: 1.0
          category: knowledge
        """;

    /// <summary>country_mc.jsonl's lines as CSV rows, every text field quoted (quotes doubled).</summary>
    private static string CountryCsv(string jsonl)
    {
        static string Quoted(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var rows = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).Select(j =>
            string.Join(',', [Quoted((string)j["question"]!), .. j["choices"]!.AsArray().Select(c => Quoted((string)c!)), ((int)j["gold"]!).ToString(CultureInfo.InvariantCulture)]));
        return "question,a,b,c,d,gold\r\n" + string.Join("\r\n", rows) + "\r\n";
    }

    /// <summary>The first lines of a file of examples/own-world, as committed.</summary>
    private static string Head(string file, int lines) =>
        string.Concat(File.ReadLines(RepoPaths.File("examples", "own-world", file)).Take(lines).Select(l => l + "\n"));

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
