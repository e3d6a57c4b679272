using System.Net;
using System.Text.Json.Nodes;
using ForgetLab.Core.Tests.Models;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The model registry over HTTP: a zipped Hugging Face-layout folder is checked and stored under the
/// tenant, listed and read by its name, referenced by specs; a broken folder is a 400 naming the file
/// and field; another tenant's model is a 404.
/// </summary>
public sealed class ModelsApiTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Task<HttpResponseMessage> Upload(HttpClient client, string name, byte[] zip) =>
        client.PostAsync($"api/v1/models?name={name}", ModelFolders.ZipContent(zip), Cancel);

    [Fact]
    public async Task AnUploadedFolderIsRegisteredListedAndStoredUnderTheTenant()
    {
        var (tenant, key) = await platform.NewTenant("models");
        using var client = platform.Server.Client(key);

        var (status, model) = await Upload(client, "tiny-base", ModelFolders.Zip(folder: "my-model")).Json();
        var (againStatus, _) = await Upload(client, "tiny-base", ModelFolders.Zip()).Json();
        var (otherFilesStatus, conflict) = await Upload(client, "tiny-base", ModelFolders.Zip(vocab: ModelFolders.VocabJson(10))).Json();
        var (listStatus, list) = await client.Get("api/v1/models").Json();
        var (getStatus, got) = await client.Get("api/v1/models/tiny-base").Json();

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(HttpStatusCode.Created, againStatus); // the same files again are harmless
        Assert.Equal(HttpStatusCode.Conflict, otherFilesStatus);
        Assert.Contains("registered with other files", (string)conflict!["detail"]!);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (listStatus, getStatus));
        Assert.Equal(["tiny-base"], list!.AsArray().Select(m => (string)m!["name"]!));
        Assert.Equal(model!.ToJsonString(), got!.ToJsonString());
        Assert.Matches($"^checkpoints/{tenant}/models/tiny-base/[0-9a-f]{{16}}/$", (string)model["blobPrefix"]!);
        Assert.Equal(ModelFolders.Parameters(), (long)model["architecture"]!["parameters"]!);
        Assert.Equal(["config.json", "model.safetensors", "vocab.json"], model["files"]!.AsArray().Select(f => (string)f!["name"]!));
        Assert.All(model["files"]!.AsArray(), f => Assert.Equal(64, ((string)f!["sha256"]!).Length));
    }

    [Fact]
    public async Task AMultipartFormUploadsTheSameWay()
    {
        var (_, key) = await platform.NewTenant("form");
        using var client = platform.Server.Client(key);
        using var form = new MultipartFormDataContent { { new StringContent("form-made"), "name" }, { ModelFolders.ZipContent(ModelFolders.Zip()), "file", "model.zip" } };

        var (status, model) = await client.PostAsync("api/v1/models", form, Cancel).Json();

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(("form-made", "upload"), ((string)model!["name"]!, (string)model["source"]!));
    }

    [Fact]
    public async Task AModelLargerThanKestrelsDefaultRequestLimitUploads()
    {
        var (_, key) = await platform.NewTenant("large");
        using var client = platform.Server.Client(key);
        const int vocab = 40_000, embd = 256; // 41 MB of float32, stored uncompressed: over the 30 MB default
        var zip = ModelFolders.Zip(config: ModelFolders.Config(vocab, embd), weights: ModelFolders.Safetensors(vocab, embd),
            level: System.IO.Compression.CompressionLevel.NoCompression);

        var (status, model) = await Upload(client, "large", zip).Json();

        Assert.True(zip.Length > 30_000_000);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(ModelFolders.Parameters(vocab, embd), (long)model!["architecture"]!["parameters"]!);
    }

    public static TheoryData<string, string, string> BrokenFolders => new()
    {
        { "no-vocab", "tokenizer.json", "missing: a model folder needs a tokenizer" },
        { "no-heads", "config.json.n_head", "required field is missing" },
        { "odd-heads", "config.json.n_head", "3 does not divide n_embd (8)" },
        { "not-json", "config.json", "not valid JSON" },
        { "cut-short", "model.safetensors[wte.weight]", "lie outside the file's" },
        { "span-not-shape", "model.safetensors[wte.weight]", "data_offsets: holds 4096 bytes but shape [16, 8] of F32 needs 512" },
        { "wrong-shape", "model.safetensors[wte.weight]", "has shape [4, 8] but config.json (vocab_size 16, n_positions 32, n_embd 8) makes it [16, 8]" },
        { "garbage-weights", "model.safetensors", "its header claims" },
        { "vocab-list", "vocab.json", "must be a JSON object of token → id" },
        { "not-a-zip", "(document)", "not a zip file" },
    };

    [Theory]
    [MemberData(nameof(BrokenFolders))]
    public async Task ABrokenFolderIsA400NamingTheFileAndFieldAndNothingIsRegistered(string broken, string path, string message)
    {
        var (_, key) = await platform.NewTenant("broken");
        using var client = platform.Server.Client(key);
        var zip = broken switch
        {
            "no-vocab" => ModelFolders.Zip(complete: false, config: ModelFolders.Config(), weights: ModelFolders.Safetensors()),
            "no-heads" => ModelFolders.Zip(config: ModelFolders.Config().Replace(""","n_head":2""", "")),
            "odd-heads" => ModelFolders.Zip(config: ModelFolders.Config(heads: 3)),
            "not-json" => ModelFolders.Zip(config: "{vocab_size: 16"),
            "cut-short" => ModelFolders.Zip(weights: ModelFolders.Safetensors()[..^100]),
            "span-not-shape" => ModelFolders.Zip(weights: ModelFolders.Safetensors(claimedBytes: 4096)),
            "wrong-shape" => ModelFolders.Zip(weights: ModelFolders.Safetensors(rows: 4)),
            "garbage-weights" => ModelFolders.Zip(weights: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3]),
            "vocab-list" => ModelFolders.Zip(vocab: "[\"a\", \"b\"]"),
            _ => "this is not a zip"u8.ToArray(),
        };

        var (status, problem) = await Upload(client, "broken-model", zip).Json();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var messages = problem!["errors"]![path]!.AsArray().Select(m => (string)m!).ToList();
        Assert.Contains(messages, m => m.Contains(message, StringComparison.Ordinal));
        Assert.Empty((await client.Get("api/v1/models").Json()).Body!.AsArray());
    }

    [Fact]
    public async Task AShardedBf16LlamaFolderWithItsTokenizerIsRegisteredWithArchitectureParametersDtypeAndTokenizer()
    {
        var (_, key) = await platform.NewTenant("llama");
        using var client = platform.Server.Client(key);
        var files = TinyHfFolders.Llama("BF16", sharded: true);

        var (status, model) = await Upload(client, "tiny-llama", HostileUploads.Zip(files.Select(f => (f.Key, f.Value)), "tiny-llama")).Json();

        Assert.Equal(HttpStatusCode.Created, status);
        var architecture = model!["architecture"]!;
        Assert.Equal(("llama", "BF16", 16, 8, 1, 2, 1), ((string)architecture["modelType"]!, (string)architecture["dtype"]!, (int)architecture["vocabSize"]!,
            (int)architecture["nEmbd"]!, (int)architecture["nLayer"]!, (int)architecture["nHead"]!, (int)architecture["keyValueHeads"]!));
        Assert.Equal(760, (long)architecture["parameters"]!);
        Assert.Equal(("bpe", "tokenizer.json", 16), ((string)architecture["tokenizer"]!["kind"]!, (string)architecture["tokenizer"]!["file"]!, (int)architecture["tokenizer"]!["vocabSize"]!));
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), model["files"]!.AsArray().Select(f => (string)f!["name"]!));
    }

    [Theory]
    [MemberData(nameof(TinyHfFolders.Broken), MemberType = typeof(TinyHfFolders))]
    public async Task ABrokenHuggingFaceFolderIsA400NamingTheFileAndFieldAndNothingIsRegistered(string broken, string path, string message)
    {
        var (_, key) = await platform.NewTenant("broken-hf");
        using var client = platform.Server.Client(key);

        var (status, problem) = await Upload(client, "broken", HostileUploads.Zip(TinyHfFolders.Break(broken).Select(f => (f.Key, f.Value)), null)).Json();

        Assert.True(status == HttpStatusCode.BadRequest, broken);
        Assert.Contains(problem!["errors"]![path]!.AsArray(), m => ((string)m!).Contains(message, StringComparison.Ordinal));
        Assert.Empty((await client.Get("api/v1/models").Json()).Body!.AsArray());
    }

    private static byte[] ZipOf(IReadOnlyDictionary<string, byte[]> files, string? folder = null) => HostileUploads.Zip(files.Select(f => (f.Key, f.Value)), folder);

    [Fact]
    public async Task APeftAdapterIsRegisteredOnItsBaseWithItsLoraSettingsAndTheBasesArchitecture()
    {
        var (tenant, key) = await platform.NewTenant("adapters");
        using var client = platform.Server.Client(key);
        var (_, baseModel) = await Upload(client, "tiny-llama", ZipOf(TinyHfFolders.Llama(wordVocab: true))).Json();

        var (status, adapter) = await client.PostAsync("api/v1/models?name=lora-qv&base=tiny-llama",
            ModelFolders.ZipContent(ZipOf(TinyLoraAdapters.Lora(4, "self_attn.q_proj", "self_attn.v_proj"), folder: "my-adapter")), Cancel).Json();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("lora-form"), "name" }, { new StringContent("tiny-llama"), "base" },
            { ModelFolders.ZipContent(ZipOf(TinyLoraAdapters.Lora(2, "mlp.down_proj"))), "file", "adapter.zip" },
        };
        var (formStatus, fromForm) = await client.PostAsync("api/v1/models", form, Cancel).Json();
        var (listStatus, list) = await client.Get("api/v1/models").Json();

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.OK), (status, formStatus, listStatus));
        var info = adapter!["adapter"]!;
        Assert.Equal(("tiny-llama", "LORA", 4, 256.0, false), ((string)info["baseModel"]!, (string)info["peftType"]!, (int)info["rank"]!, (double)info["alpha"]!, (bool)info["useRsLora"]!));
        Assert.Equal(["q_proj", "v_proj"], info["targetModules"]!.AsArray().Select(m => (string)m!));
        Assert.Equal((2, 4L * 8 + 8 * 4 + 4 * 8 + 4 * 4), ((int)info["adaptedProjections"]!, (long)info["parameters"]!));
        Assert.True((bool)adapter["isAdapter"]!);
        Assert.Equal(baseModel!["architecture"]!.ToJsonString(), adapter["architecture"]!.ToJsonString());
        Assert.Matches($"^checkpoints/{tenant}/models/lora-qv/[0-9a-f]{{16}}/$", (string)adapter["blobPrefix"]!);
        Assert.All(adapter["files"]!.AsArray(), f => Assert.Equal(64, ((string)f!["sha256"]!).Length));
        Assert.Equal((1, "tiny-llama"), ((int)fromForm!["adapter"]!["adaptedProjections"]!, (string)fromForm["adapter"]!["baseModel"]!));
        Assert.Equal(["lora-form", "lora-qv", "tiny-llama"], list!.AsArray().Select(m => (string)m!["name"]!));
    }

    public static TheoryData<string, string, string> BrokenAdapters => new()
    {
        { "no base", "base", "an adapter goes on a registered base" },
        { "an unknown base", "base", "no model 'nope' in this tenant's registry" },
        { "an adapter as base", "base", "'lora-q' is an adapter (on 'tiny-llama'); an adapter goes on a base model" },
        { "ia3", "adapter_config.json.peft_type", "\"IA3\" is not supported" },
        { "modules to save", "adapter_config.json.modules_to_save", "is not supported" },
        { "a target the base lacks", "adapter_config.json.target_modules[0]", "'c_attn' matches no layer of 'tiny-llama'" },
        { "another rank", "adapter_model.safetensors[base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight]", "has shape [2, 8], but with r = 4" },
    };

    [Theory]
    [MemberData(nameof(BrokenAdapters))]
    public async Task ABrokenAdapterIsA400NamingTheFileAndFieldAndNothingIsRegistered(string broken, string path, string message)
    {
        var (_, key) = await platform.NewTenant("broken-adapter");
        using var client = platform.Server.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await Upload(client, "tiny-llama", ZipOf(TinyHfFolders.Llama(wordVocab: true)))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("api/v1/models?name=lora-q&base=tiny-llama", ModelFolders.ZipContent(ZipOf(TinyLoraAdapters.Lora(4, "self_attn.q_proj"))), Cancel)).StatusCode);
        var config = TinyLoraAdapters.Config(4, 8, "q_proj");
        var (rank, baseName) = (4, "tiny-llama");
        switch (broken)
        {
            case "no base": config["base_model_name_or_path"] = "meta-llama/Llama-3.2-1B"; baseName = ""; break;
            case "an unknown base": baseName = "nope"; break;
            case "an adapter as base": baseName = "lora-q"; break;
            case "ia3": config["peft_type"] = "IA3"; break;
            case "modules to save": config["modules_to_save"] = new JsonArray("lm_head"); break;
            case "a target the base lacks": config["target_modules"] = new JsonArray("c_attn"); break;
            case "another rank": rank = 2; break;
        }
        var files = TinyLoraAdapters.Files(config, rank, "self_attn.q_proj");
        if (broken == "another rank") files["adapter_config.json"] = System.Text.Encoding.UTF8.GetBytes(TinyLoraAdapters.Config(4, 8, "q_proj").ToJsonString());

        var (status, problem) = await client.PostAsync($"api/v1/models?name=broken{(baseName.Length > 0 ? "&base=" + baseName : "")}", ModelFolders.ZipContent(ZipOf(files)), Cancel).Json();

        Assert.True(status == HttpStatusCode.BadRequest, $"{broken}: {status} {problem}");
        Assert.Contains(problem!["errors"]![path]!.AsArray(), m => ((string)m!).Contains(message, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get("api/v1/models/broken")).StatusCode);
    }

    [Fact]
    public async Task NamesRolesAndOtherTenantsAreCheckedAndSpecsNameOnlyRegisteredModels()
    {
        var (owner, key) = await platform.NewTenant("owner");
        var viewerKey = await PlatformFixture.NewKey(platform.Server, owner, "Viewer");
        var (_, otherKey) = await platform.NewTenant("other");
        using var client = platform.Server.Client(key);
        using var viewer = platform.Server.Client(viewerKey);
        using var other = platform.Server.Client(otherKey);
        Assert.Equal(HttpStatusCode.Created, (await Upload(client, "mine", ModelFolders.Zip())).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await Upload(client, "Not%20A%20Name", ModelFolders.Zip())).StatusCode);
        var (noNameStatus, noName) = await client.PostAsync("api/v1/models", ModelFolders.ZipContent(ModelFolders.Zip()), Cancel).Json();
        Assert.Equal(HttpStatusCode.BadRequest, noNameStatus);
        Assert.NotNull(noName!["errors"]!["name"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await Upload(viewer, "viewer-made", ModelFolders.Zip())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Get("api/v1/models/mine")).StatusCode);
        Assert.Empty((await other.Get("api/v1/models").Json()).Body!.AsArray());
        // Registering the base of another tenant's experiment, or of one whose base is not stored yet.
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(Specs.Valid("has-no-base-yet"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostJson("api/v1/models", new { name = "stolen", experiment = "has-no-base-yet" })).StatusCode);
        var (notYet, why) = await client.PostJson("api/v1/models", new { name = "early", experiment = "has-no-base-yet" }).Json();
        Assert.Equal(HttpStatusCode.Conflict, notYet);
        Assert.Contains("has no stored base yet", (string)why!["detail"]!);

        var unknown = await client.SubmitYaml(ModelRefSpec("uses-theirs", "theirs")).Json();
        var known = await client.SubmitYaml(ModelRefSpec("uses-mine", "mine")).Json();
        var othersRef = await other.SubmitYaml(ModelRefSpec("uses-owners", "mine")).Json();

        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Contains("no model 'theirs' in this tenant's registry", (string)unknown.Body!["errors"]!["base.model_ref"]![0]!);
        Assert.Equal(HttpStatusCode.Created, known.Status);
        Assert.Equal(HttpStatusCode.BadRequest, othersRef.Status); // another tenant's model is not there for it
        await client.Post("api/v1/experiments/uses-mine/cancel");
        await client.Post("api/v1/experiments/has-no-base-yet/cancel");
    }

    /// <summary>Specs.Valid with its base replaced by a registered model.</summary>
    internal static string ModelRefSpec(string name, string model)
    {
        var valid = Specs.Valid(name);
        var start = valid.IndexOf("base:", StringComparison.Ordinal);
        var end = valid.IndexOf("target:", start, StringComparison.Ordinal);
        return valid[..start] + $"base:\n  model_ref: {model}\n" + valid[end..];
    }
}
