using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ForgetLab.Core.Tests.Models;

namespace ForgetLab.Server.Tests;

/// <summary>
/// An evaluation-only experiment through the whole platform: a registered tiny Llama as the base, three PEFT LoRA
/// adapters from the operator's spec directory and a second registered model as <c>evaluate</c> entries. Each becomes
/// a run that a real worker process scores (no training) as one checkpoint at step 0, and the report and the board
/// show them as runs against the base. Another tenant cannot name the owner's registered model in its own list.
/// </summary>
public sealed class EvaluationOnlyPlatformTests(PlatformFixture platform)
{
    private static readonly string[] Runs = ["lora-q", "lora-v", "lora-q-down", "tuned"];

    [Fact]
    public async Task ThreeAdaptersAndARegisteredModelAreEvaluatedAsRunsByAWorkerAndReportedAgainstTheBase()
    {
        var specDir = Directory.CreateTempSubdirectory("forgetlab-eval-specdir-").FullName;
        WriteAdapter(Path.Combine(specDir, "adapters", "q"), 2, ("self_attn.q_proj", 8, 8));
        WriteAdapter(Path.Combine(specDir, "adapters", "v"), 2, ("self_attn.v_proj", 8, 4));
        WriteAdapter(Path.Combine(specDir, "adapters", "qdown"), 4, ("self_attn.q_proj", 8, 8), ("mlp.down_proj", 12, 8));
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

        // Refused at submission, nothing stored: another tenant's model, and a spec that would also train.
        var (theirsStatus, theirs) = await other.SubmitYaml(Spec("steals", "  - { name: theirs, model_ref: tuned }\n", "base:\n  model_ref: tiny-llama\n")).Json();
        Assert.Equal(HttpStatusCode.BadRequest, theirsStatus);
        Assert.Contains("no model 'tiny-llama' in this tenant's registry", (string)theirs!["errors"]!["base.model_ref"]![0]!);
        var (ownBaseStatus, ownBase) = await other.SubmitYaml(Spec("steals2", "  - { name: theirs, model_ref: tuned }\n", WorldBase)).Json();
        Assert.Equal(HttpStatusCode.BadRequest, ownBaseStatus);
        Assert.Contains("no model 'tuned' in this tenant's registry", (string)ownBase!["errors"]!["evaluate[0].model_ref"]![0]!);
        var (bothStatus, both) = await client.SubmitYaml(Spec("both", "  - { name: q, path: adapters/q }\n") + "grid:\n  method: [ { type: full } ]\n").Json();
        Assert.Equal(HttpStatusCode.BadRequest, bothStatus);
        Assert.Contains("cannot be combined with 'evaluate'", (string)both!["errors"]!["grid"]![0]!);
        Assert.Empty((await other.Get("api/v1/experiments").Json()).Body!.AsArray());

        await using var worker = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(),
            Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1", extraArgs: ["--spec-dir", specDir]);
        var (submitted, experiment) = await client.SubmitYaml(Spec("eval-adapters",
            "  - { name: lora-q, path: adapters/q }\n  - { name: lora-v, path: adapters/v }\n  - { name: lora-q-down, path: adapters/qdown }\n  - { name: tuned, model_ref: tuned }\n")).Json();
        Assert.Equal(HttpStatusCode.Created, submitted);
        Assert.Equal(Runs, experiment!["runIds"]!.AsArray().Select(r => (string)r!));

        foreach (var name in Runs)
        {
            var run = await WorkerTests.WaitForRun(client, "eval-adapters", name, r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => worker.Output);
            Assert.True(WorkerTests.State(run) == "Completed", $"{name}: {run.ToJsonString()}\n{worker.Output}");
            Assert.Equal(("evaluate", 0), ((string)run["recipe"]!["method"]!, (int)run["recipe"]!["steps"]!));
            var checkpoint = Assert.Single(run["checkpoints"]!.AsArray())!;
            Assert.Equal(0, (long)checkpoint["step"]!);
            Assert.Equal(3, checkpoint["scores"]!.AsArray().Count);
        }
        Assert.Contains("Downloaded model tuned", worker.Output);

        var (reportStatus, report) = await client.Get("api/v1/experiments/eval-adapters/report").Json();
        Assert.Equal(HttpStatusCode.OK, reportStatus);
        var reported = report!["runs"]!.AsArray();
        Assert.Equal(Runs.Order(), reported.Select(r => (string)r!["name"]!).Order());
        Assert.Equal(["lora", "lora", "lora", "full"], reported.OrderBy(r => Array.IndexOf(Runs, (string)r!["name"]!)).Select(r => (string)r!["method"]!));
        Assert.All(reported, r => Assert.True((double)r!["suites"]!.AsArray().Single(s => (string)s!["suite"]! == "kl_to_base")!["score"]! > 0,
            $"{r!["name"]} differs from the base"));
        Assert.Equal(3, report["base"]!["suites"]!.AsArray().Count);
        Assert.NotEmpty(report["frontier"]!.AsArray());

        Assert.Equal(HttpStatusCode.OK, (await client.Post("api/v1/experiments/eval-adapters/publish")).StatusCode);
        var board = (await other.Get("api/v1/board").Json()).Body!;
        var boardRuns = board["groups"]!.AsArray().SelectMany(g => g!["runs"]!.AsArray()).Where(r => (string)r!["tenantId"]! == owner).Select(r => (string)r!["runId"]!);
        Assert.Equal(Runs.Order(), boardRuns.Order());
        Directory.Delete(specDir, recursive: true);
    }

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

    /// <summary>
    /// A LoRA adapter of rank <paramref name="rank"/> in PEFT's layout for the tiny Llama, on the given projections of its one layer (in, out features).
    /// Its values are small (±0.1), so alpha is large: the change it makes must stand well above float32 noise in KL to the base.
    /// </summary>
    private static void WriteAdapter(string folder, int rank, params (string Path, int In, int Out)[] projections)
    {
        Directory.CreateDirectory(folder);
        var modules = projections.Select(p => p.Path[(p.Path.LastIndexOf('.') + 1)..]);
        File.WriteAllText(Path.Combine(folder, "adapter_config.json"),
            $$"""{"peft_type": "LORA", "task_type": "CAUSAL_LM", "base_model_name_or_path": "tiny-llama", "r": {{rank}}, "lora_alpha": 256, "lora_dropout": 0.0, "target_modules": [{{string.Join(", ", modules.Select(m => $"\"{m}\""))}}], "fan_in_fan_out": false, "bias": "none", "use_rslora": false}""",
            Encoding.UTF8);
        var tensors = projections.SelectMany(p => new[]
        {
            ($"base_model.model.model.layers.0.{p.Path}.lora_A.weight", new long[] { rank, p.In }),
            ($"base_model.model.model.layers.0.{p.Path}.lora_B.weight", new long[] { p.Out, rank }),
        });
        File.WriteAllBytes(Path.Combine(folder, "adapter_model.safetensors"), TinyHfFolders.Safetensors(tensors));
    }
}
