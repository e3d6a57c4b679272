using System.Diagnostics;
using System.Net;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CsCheck;
using ForgetLab.Core.Tests.Specs;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The hostile-input findings on model uploads, against a real server on Azurite: the zip bomb (high,
/// finding 3), safetensors shapes that overflow or are negative, a header that is an array, and a
/// config whose model_type is a number (medium, finding 5). Each is a 400 naming the file and field,
/// and leaves nothing stored — no registry entry, and no blob, committed or not, under the tenant.
/// </summary>
public sealed class HostileUploadTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Task<HttpResponseMessage> Upload(HttpClient client, string name, byte[] zip) =>
        client.PostAsync($"api/v1/models?name={name}", ModelFolders.ZipContent(zip), Cancel);

    [Theory]
    [InlineData("honest", "model.safetensors", "is 2684354560 bytes, more than the 1073741824")]
    [InlineData("lying", "model.safetensors", "holds more than the")]
    [InlineData("ratio", "model.safetensors", "expands to more than 50 times its")]
    public async Task ZipBombFinding_A2Point6MBZipExpandingTo2Point5GiBIsA400AndTheServerDoesNotGrow(string kind, string path, string message)
    {
        var (tenant, key) = await platform.NewTenant("bomb");
        using var client = platform.Server.Client(key);
        var zip = ModelBombs.Zip(kind);
        Assert.InRange(zip.Length, 500_000, 3_000_000);

        GC.Collect();
        var before = Environment.WorkingSet;
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Environment.WorkingSet);
                await Task.Delay(10, CancellationToken.None);
            }
        }, CancellationToken.None);
        var watch = Stopwatch.StartNew();
        var (status, problem) = await Upload(client, "bomb", zip).Json();
        watch.Stop();
        await sampling.CancelAsync();
        await sampler;

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(problem!["errors"]![path]!.AsArray(), m => ((string)m!).Contains(message, StringComparison.Ordinal));
        // The old path read the upload whole into memory and grew by gigabytes; streamed, a few blocks at most.
        Assert.True(peak - before < 256L << 20, $"the server process grew by {(peak - before) >> 20} MiB while refusing the bomb in {watch.ElapsedMilliseconds} ms");
        await AssertNothingStored(client, tenant);
        TestContext.Current.TestOutputHelper?.WriteLine($"bomb refused in {watch.ElapsedMilliseconds} ms; RSS {before >> 20} → peak {peak >> 20} MiB");
    }

    [Fact]
    public async Task ZipBombFinding_TheBombInAMultipartFormIsA400TooAndAFormOfTwoFilesOrNoneIsRefused()
    {
        var (tenant, key) = await platform.NewTenant("form-bomb");
        using var client = platform.Server.Client(key);
        MultipartFormDataContent Form(params byte[][] zips)
        {
            var form = new MultipartFormDataContent { { new StringContent("form-bomb"), "name" } };
            foreach (var (zip, i) in zips.Select((z, i) => (z, i))) form.Add(ModelFolders.ZipContent(zip), "file", $"model{i}.zip");
            return form;
        }

        using var bombForm = Form(ModelBombs.Zip("lying"));
        using var twoForm = Form(ModelFolders.Zip(), ModelFolders.Zip());
        using var noneForm = Form();
        var bomb = await client.PostAsync("api/v1/models", bombForm, Cancel).Json();
        var two = await client.PostAsync("api/v1/models", twoForm, Cancel).Json();
        var none = await client.PostAsync("api/v1/models", noneForm, Cancel).Json();

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (bomb.Status, two.Status, none.Status));
        Assert.Contains("holds more than the", (string)bomb.Body!["errors"]!["model.safetensors"]![0]!);
        Assert.Contains("more than one file", (string)two.Body!["errors"]!["file"]![0]!);
        Assert.Contains("the form has no file", (string)none.Body!["errors"]!["file"]![0]!);
        await AssertNothingStored(client, tenant);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[1, 2]")]
    [InlineData("{\"name\": 5, \"experiment\": \"x\"}")]
    public async Task AMalformedJsonRegistrationIsA400NotA500(string json)
    {
        var (tenant, key) = await platform.NewTenant("json");
        using var client = platform.Server.Client(key);

        using var response = await client.Post("api/v1/models", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingStored(client, tenant);
    }

    public static TheoryData<string, string, string, string> BadFiles => new()
    {
        { "overflowing shape", """{"wte.weight":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}""", "model.safetensors[wte.weight]", "shape: [4294967296, 4294967296] of F32 holds more bytes than any file can" },
        { "negative dims", """{"wte.weight":{"dtype":"F32","shape":[-1,-4],"data_offsets":[0,512]}}""", "model.safetensors[wte.weight]", "shape: required, a list of non-negative integers" },
        { "an array", """[{"dtype":"F32","shape":[16,8],"data_offsets":[0,512]}]""", "model.safetensors", "its header must be a JSON object of tensor name → {dtype, shape, data_offsets}, got an array" },
        { "overlapping", """{"a":{"dtype":"F32","shape":[64],"data_offsets":[0,256]},"wte.weight":{"dtype":"F32","shape":[16,8],"data_offsets":[0,512]}}""", "model.safetensors[wte.weight]", "tensors must not overlap" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task SafetensorsHeaderFinding_AHeaderThatOverflowsOrIsNotAnObjectIsA400NamingTheFileAndField(string kind, string header, string path, string message)
    {
        var (tenant, key) = await platform.NewTenant("header");
        using var client = platform.Server.Client(key);
        var weights = HostileUploads.Safetensors(System.Text.Encoding.UTF8.GetBytes(header), 512);

        var (status, problem) = await Upload(client, "bad-header", HostileUploads.WithFolder(("model.safetensors", weights))).Json();

        Assert.True(status == HttpStatusCode.BadRequest, kind);
        Assert.Contains(problem!["errors"]![path]!.AsArray(), m => ((string)m!).Contains(message, StringComparison.Ordinal));
        await AssertNothingStored(client, tenant);
    }

    [Theory]
    [InlineData("5", "must be a string")]
    [InlineData("[\"gpt2\"]", "must be a string")]
    public async Task ConfigTypeFinding_AModelTypeThatIsNotAStringIsA400NamingTheField(string value, string message)
    {
        var (tenant, key) = await platform.NewTenant("config");
        using var client = platform.Server.Client(key);
        var config = ModelFolders.Config().Replace("\"gpt2\"", value, StringComparison.Ordinal);

        var (status, problem) = await Upload(client, "bad-config", ModelFolders.Zip(config: config)).Json();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, (string)problem!["errors"]!["config.json.model_type"]![0]!);
        await AssertNothingStored(client, tenant);
    }

    [Fact]
    public async Task SixtyGeneratedHostileUploadsToTheServerAreEach400Or201AndARefusedOneStoresNothing()
    {
        var (tenant, key) = await platform.NewTenant("fuzz");
        using var client = platform.Server.Client(key);
        var container = new BlobServiceClient(platform.Azurite.ConnectionString).GetBlobContainerClient("checkpoints");
        var outcomes = new List<HttpStatusCode>();
        var i = 0;

        await HostileUploads.Any.CheckAsync(60, async upload =>
        {
            var name = $"fuzz-{i++}";
            using var response = await Upload(client, name, upload.Zip);
            outcomes.Add(response.StatusCode);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest, $"{upload}: {(int)response.StatusCode}");
            if (upload.Valid is { } valid) Assert.Equal(valid, response.StatusCode == HttpStatusCode.Created);
            if (response.StatusCode == HttpStatusCode.BadRequest)
                Assert.Empty(await Blobs(container, $"{tenant}/models/{name}/"));
        });

        Assert.Contains(HttpStatusCode.BadRequest, outcomes);
        var registered = (await client.Get("api/v1/models").Json()).Body!.AsArray().Select(m => (string)m!["name"]!).ToHashSet();
        Assert.Equal(outcomes.Count(s => s == HttpStatusCode.Created), registered.Count);
    }

    /// <summary>Nothing under the tenant in Blob storage (committed or only staged) and nothing in its registry.</summary>
    private async Task AssertNothingStored(HttpClient client, string tenant)
    {
        Assert.Empty((await client.Get("api/v1/models").Json()).Body!.AsArray());
        var container = new BlobServiceClient(platform.Azurite.ConnectionString).GetBlobContainerClient("checkpoints");
        Assert.Empty(await Blobs(container, $"{tenant}/"));
    }

    private static async Task<List<string>> Blobs(BlobContainerClient container, string prefix)
    {
        var names = new List<string>();
        if (!await container.ExistsAsync(Cancel)) return names;
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, States = BlobStates.Uncommitted }, Cancel))
            names.Add(blob.Name);
        return names;
    }
}
