using System.Text.Json;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Weights;

namespace ForgetLab.Lab.Tests.Model;

/// <summary>Saving as transformers' <c>save_pretrained</c> does: shards past <c>max_shard_size</c>, its file names and index, bit-identical reload.</summary>
public class ShardedSavingTests
{
    [Fact]
    public void ATensorTippingTheShardOverTheLimitStartsTheNextOne() =>
        Assert.Equal(
            [["a", "b"], ["c", "d"], ["e"]],
            ShardPlan.Split([("a", 40), ("b", 60), ("c", 50), ("d", 30), ("e", 70)], maxShardBytes: 100).Select(s => s.ToArray()));

    [Fact]
    public void ATensorLargerThanTheLimitGetsAShardOfItsOwnAndTheCurrentOneGoesOn() =>
        Assert.Equal(
            [["big"], ["a", "b"]],
            ShardPlan.Split([("a", 10), ("big", 500), ("b", 10)], maxShardBytes: 100).Select(s => s.ToArray()));

    [Fact]
    public void ShardsAreNamedAsTransformersNamesThem()
    {
        Assert.Equal("model.safetensors", ShardPlan.FileName(0, 1));
        Assert.Equal("model-00002-of-00003.safetensors", ShardPlan.FileName(1, 3));
    }

    public static TheoryData<string, long> Sizes => new()
    {
        { "5GB", 5_000_000_000 }, { "10gb", 10_000_000_000 }, { "200MB", 200_000_000 }, { "0.5 MB", 500_000 }, { "64KB", 64_000 }, { "1TB", 1_000_000_000_000 }, { "12345", 12345 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MaxShardSizeReadsLikeHuggingFaceHub(string text, long bytes) => Assert.Equal(bytes, ShardPlan.Parse(text).Bytes);

    [Theory]
    [InlineData("5GiB")]
    [InlineData("lots")]
    [InlineData("0")]
    [InlineData("xGB")]
    public void AnUnreadableMaxShardSizeIsRefusedWithTheReason(string text)
    {
        var (bytes, error) = ShardPlan.Parse(text);

        Assert.Null(bytes);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void AShardedFolderLoadsBackBitIdenticallyWithTransformersIndex()
    {
        using var model = TinyLlamas.Create();
        var dir = TinyModels.TempDirectory();

        ModelFolder.Save(model, dir, maxShardBytes: 12_000);
        using var loaded = ModelFolder.Load(dir);

        var index = File.ReadAllText(Path.Combine(dir, ModelWeights.IndexFile));
        using var doc = JsonDocument.Parse(index);
        var map = doc.RootElement.GetProperty("weight_map").EnumerateObject().ToList();
        var shards = map.Select(p => p.Value.GetString()!).Distinct().ToList();
        Assert.True(shards.Count > 2, $"a 12 kB limit splits this model ({shards.Count} shards)");
        Assert.Equal(shards.Select((_, i) => $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors"), shards.Order(StringComparer.Ordinal));
        Assert.False(File.Exists(Path.Combine(dir, ModelWeights.SingleFile)));
        Assert.Equal(map.Select(p => p.Name).Order(StringComparer.Ordinal), map.Select(p => p.Name)); // json.dumps(sort_keys=True)
        Assert.Equal(model.BaseStateDict().Values.Sum(t => t.numel() * 4), doc.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());
        Assert.StartsWith("{\n  \"metadata\": {\n    \"total_size\": ", index, StringComparison.Ordinal);
        Assert.EndsWith("}\n", index, StringComparison.Ordinal);
        var saved = model.BaseStateDict();
        foreach (var (key, value) in loaded.BaseStateDict()) Assert.True(TensorAssert.Same(saved[key], value), key);
        using var tokens = TinyModels.Tokens();
        Assert.True(TensorAssert.Same(model.forward(tokens), loaded.forward(tokens)));
    }

    [Fact]
    public void SavingAgainUnderTheLimitLeavesOneFileAndNoStaleShards()
    {
        using var model = TinyLlamas.Create();
        var dir = TinyModels.TempDirectory();
        ModelFolder.Save(model, dir, maxShardBytes: 12_000);

        ModelFolder.Save(model, dir);

        Assert.Equal([ModelFolder.ConfigFile, ModelWeights.SingleFile], Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var loaded = ModelFolder.Load(dir);
        Assert.Equal(model.BaseStateDict().Count, loaded.BaseStateDict().Count);
    }
}
