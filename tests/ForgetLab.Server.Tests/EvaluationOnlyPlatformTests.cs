using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;
using ForgetLab.Core.Tests.Models;

namespace ForgetLab.Server.Tests;

/// <summary>
/// An evaluation-only experiment through the whole platform: a registered tiny Llama as the base, three PEFT LoRA adapters
/// registered on it, the same adapter again from the operator's spec directory, and a second registered model as <c>evaluate</c>
/// entries. Each is a run of its own, scored (no training) as one checkpoint at step 0, but all five are ONE job on a real worker:
/// the base is loaded once and each entry is put on it in turn, and the report and the board show them as runs against the base.
/// Another tenant can neither put an adapter on the owner's base nor name the owner's models.
/// </summary>
public sealed class EvaluationOnlyPlatformTests(PlatformFixture platform)
{
    private static readonly string[] Runs = ["lora-q", "lora-v", "lora-q-down", "lora-v-dir", "tuned"];

    [Fact]
    public async Task ThreeRegisteredAdaptersAFolderAndAModelAreOneJobThatLoadsTheBaseOnceAndReportsEachAgainstIt()
    {
        var specDir = Directory.CreateTempSubdirectory("forgetlab-eval-specdir-").FullName;
        var adapterV = TinyLoraAdapters.Lora(2, "self_attn.v_proj");
        Directory.CreateDirectory(Path.Combine(specDir, "adapters", "v"));
        foreach (var (file, bytes) in adapterV) File.WriteAllBytes(Path.Combine(specDir, "adapters", "v", file), bytes);
        var cluster = $"evalonly-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey,
            "--ForgetLab:Experiments:SpecBaseDirectory", specDir);
        var (owner, key) = await PlatformFixture.NewTenant(server, "evalonly");
        var (_, otherKey) = await PlatformFixture.NewTenant(server, "evalother");
        using var client = server.Client(key);
        using var other = server.Client(otherKey);
        var files = TinyHfFolders.Llama("F32", wordVocab: true);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("api/v1/models?name=tiny-llama", Zip(files), Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("api/v1/models?name=tuned", Zip(Tuned(files)), Cancel)).StatusCode);
        var (adapterStatus, adapter) = await client.PostAsync("api/v1/models?name=lora-q&base=tiny-llama", Zip(TinyLoraAdapters.Lora(2, "self_attn.q_proj")), Cancel).Json();
        Assert.Equal(HttpStatusCode.Created, adapterStatus);
        Assert.Equal(("tiny-llama", 2, 1), ((string)adapter!["adapter"]!["baseModel"]!, (int)adapter["adapter"]!["rank"]!, (int)adapter["adapter"]!["adaptedProjections"]!));
        Assert.Equal(["adapter_config.json", "adapter_model.safetensors"], adapter["files"]!.AsArray().Select(f => (string)f!["name"]!));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("api/v1/models?name=lora-v&base=tiny-llama", Zip(adapterV), Cancel)).StatusCode);
        // The base named by the adapter's own base_model_name_or_path ("tiny-llama"), as PEFT writes it.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("api/v1/models?name=lora-q-down", Zip(TinyLoraAdapters.Lora(4, "self_attn.q_proj", "mlp.down_proj")), Cancel)).StatusCode);

        // Refused, nothing stored: an adapter on another tenant's base, another tenant's models, an adapter as a base, a spec that would also train.
        var (stealStatus, steal) = await other.PostAsync("api/v1/models?name=mine&base=tiny-llama", Zip(adapterV), Cancel).Json();
        Assert.Equal(HttpStatusCode.BadRequest, stealStatus);
        Assert.Contains("no model 'tiny-llama' in this tenant's registry", (string)steal!["errors"]!["base"]![0]!);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Get("api/v1/models/lora-q")).StatusCode);
        var (theirsStatus, theirs) = await other.SubmitYaml(Spec("steals", "  - { name: theirs, model_ref: lora-q }\n", "base:\n  model_ref: tiny-llama\n")).Json();
        Assert.Equal(HttpStatusCode.BadRequest, theirsStatus);
        Assert.Contains("no model 'tiny-llama' in this tenant's registry", (string)theirs!["errors"]!["base.model_ref"]![0]!);
        var (ownBaseStatus, ownBase) = await other.SubmitYaml(Spec("steals2", "  - { name: theirs, model_ref: tuned }\n", WorldBase)).Json();
        Assert.Equal(HttpStatusCode.BadRequest, ownBaseStatus);
        Assert.Contains("no model 'tuned' in this tenant's registry", (string)ownBase!["errors"]!["evaluate[0].model_ref"]![0]!);
        var (asBaseStatus, asBase) = await client.SubmitYaml(Spec("adapter-base", "  - { name: t, model_ref: tuned }\n", "base:\n  model_ref: lora-q\n")).Json();
        Assert.Equal(HttpStatusCode.BadRequest, asBaseStatus);
        Assert.Contains("'lora-q' is a PEFT adapter (on 'tiny-llama'), not a base", (string)asBase!["errors"]!["base.model_ref"]![0]!);
        var (offBaseStatus, offBase) = await client.SubmitYaml(Spec("off-base", "  - { name: q, model_ref: lora-q }\n", WorldBase)).Json();
        Assert.Equal(HttpStatusCode.BadRequest, offBaseStatus);
        Assert.Contains("adapter 'lora-q' was registered on base 'tiny-llama'", (string)offBase!["errors"]!["evaluate[0].model_ref"]![0]!);
        var (bothStatus, both) = await client.SubmitYaml(Spec("both", "  - { name: q, path: adapters/v }\n") + "grid:\n  method: [ { type: full } ]\n").Json();
        Assert.Equal(HttpStatusCode.BadRequest, bothStatus);
        Assert.Contains("cannot be combined with 'evaluate'", (string)both!["errors"]!["grid"]![0]!);
        Assert.Empty((await other.Get("api/v1/experiments").Json()).Body!.AsArray());

        await using var worker = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(),
            Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1", extraArgs: ["--spec-dir", specDir]);
        var (submitted, experiment) = await client.SubmitYaml(Spec("eval-adapters",
            "  - { name: lora-q, model_ref: lora-q }\n  - { name: lora-v, model_ref: lora-v }\n  - { name: lora-q-down, model_ref: lora-q-down }\n" +
            "  - { name: lora-v-dir, path: adapters/v }\n  - { name: tuned, model_ref: tuned }\n")).Json();
        Assert.Equal(HttpStatusCode.Created, submitted);
        Assert.Equal(Runs, experiment!["runIds"]!.AsArray().Select(r => (string)r!));

        string? leaseId = null;
        foreach (var name in Runs)
        {
            var run = await WorkerTests.WaitForRun(client, "eval-adapters", name, r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => worker.Output);
            Assert.True(WorkerTests.State(run) == "Completed", $"{name}: {run.ToJsonString()}\n{worker.Output}");
            Assert.Equal(("evaluate", 0), ((string)run["recipe"]!["method"]!, (int)run["recipe"]!["steps"]!));
            var checkpoint = Assert.Single(run["checkpoints"]!.AsArray())!;
            Assert.Equal(0, (long)checkpoint["step"]!);
            Assert.Equal(3, checkpoint["scores"]!.AsArray().Count);
            // Every run was held under the one lease the pool gave the lead.
            leaseId ??= (string)run["lease"]!["leaseId"]!;
            Assert.Equal(leaseId, (string)run["lease"]!["leaseId"]!);
            if (name != "lora-q") Assert.Contains(run["transitions"]!.AsArray(), t => ((string)t!["reason"]!).Contains("of run 'lora-q'", StringComparison.Ordinal));
        }
        // One job, and in it the base read from disk once for all five.
        Assert.Equal(1, Count(worker.Output, "started as process"));
        Assert.Equal(1, Count(worker.Output, "the job loaded the base from"));
        Assert.Contains("one evaluation job for 5 run(s) on one base", worker.Output);
        Assert.Contains("Downloaded model lora-q-down", worker.Output);

        var (reportStatus, report) = await client.Get("api/v1/experiments/eval-adapters/report").Json();
        Assert.Equal(HttpStatusCode.OK, reportStatus);
        var reported = report!["runs"]!.AsArray();
        Assert.Equal(Runs.Order(), reported.Select(r => (string)r!["name"]!).Order());
        Assert.Equal(["lora", "lora", "lora", "lora", "full"], reported.OrderBy(r => Array.IndexOf(Runs, (string)r!["name"]!)).Select(r => (string)r!["method"]!));
        Assert.All(reported, r => Assert.True((double)r!["suites"]!.AsArray().Single(s => (string)s!["suite"]! == "kl_to_base")!["score"]! > 0,
            $"{r!["name"]} differs from the base"));
        // The same adapter from the registry and from a folder scores the same on every suite.
        string Scores(string run) => reported.Single(r => (string)r!["name"]! == run)!["suites"]!.ToJsonString();
        Assert.Equal(Scores("lora-v"), Scores("lora-v-dir"));
        Assert.Equal(3, report["base"]!["suites"]!.AsArray().Count);
        Assert.NotEmpty(report["frontier"]!.AsArray());

        Assert.Equal(HttpStatusCode.OK, (await client.Post("api/v1/experiments/eval-adapters/publish")).StatusCode);
        var board = (await other.Get("api/v1/board").Json()).Body!;
        var boardRuns = board["groups"]!.AsArray().SelectMany(g => g!["runs"]!.AsArray()).Where(r => (string)r!["tenantId"]! == owner).Select(r => (string)r!["runId"]!);
        Assert.Equal(Runs.Order(), boardRuns.Order());
        Directory.Delete(specDir, recursive: true);
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string WorldBase = "base:\n  world: builtin\n  model: { n_layer: 1, n_head: 2, n_embd: 32, n_ctx: 32 }\n";

    private static string Spec(string name, string entries, string baseSection = "base:\n  model_ref: tiny-llama\n") =>
        $"name: {name}\nseed: 3\n{baseSection}target: {{ task: conflicting_facts, count: 6 }}\nsuites: [target, capitals_recall, kl_to_base]\n" +
        $"evaluate:\n{entries}eval: {{ max_items: 8, batch_size: 8, bootstrap_resamples: 200 }}\n";

    private static ByteArrayContent Zip(IReadOnlyDictionary<string, byte[]> files) => ModelFolders.ZipContent(HostileUploads.Zip(files.Select(f => (f.Key, f.Value)), null));

    /// <summary>The base's files with the last quarter of its weights scaled by 1.5: a fine-tune of the same architecture and config.</summary>
    private static Dictionary<string, byte[]> Tuned(IReadOnlyDictionary<string, byte[]> files)
    {
        var tuned = new Dictionary<string, byte[]>(files, StringComparer.Ordinal);
        var weights = files["model.safetensors"].ToArray();
        var dataStart = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(weights);
        var floats = (weights.Length - dataStart) / 4;
        for (var i = floats * 3 / 4; i < floats; i++)
        {
            var at = weights.AsSpan(dataStart + 4 * i, 4);
            BinaryPrimitives.WriteSingleLittleEndian(at, BinaryPrimitives.ReadSingleLittleEndian(at) * 1.5f);
        }
        tuned["model.safetensors"] = weights;
        return tuned;
    }
}
