using System.Buffers.Binary;
using System.Text;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Weights;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Model;

public class SafetensorsTests
{
    [Fact]
    public void NonAsciiTensorNamesRoundTripBecauseTheHeaderLengthCountsBytes()
    {
        var path = Path.Combine(TinyModels.TempDirectory(), "t.safetensors");
        using var a = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var b = ones(4);
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["größe.wörter"] = a, ["名前.weight"] = b });

        var bytes = File.ReadAllBytes(path);
        var length = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(bytes.Length, 8 + length + (6 + 4) * 4);
        Assert.Contains("名前.weight", Encoding.UTF8.GetString(bytes, 8, (int)length));

        var (entries, start) = SafetensorsFile.ReadHeader(path);
        var byName = entries.ToDictionary(e => e.Name);
        Assert.True(TensorAssert.Same(a, SafetensorsFile.ReadFloat32(path, byName["größe.wörter"], start)));
        Assert.True(TensorAssert.Same(b, SafetensorsFile.ReadFloat32(path, byName["名前.weight"], start)));
    }

    [Fact]
    public void AModelFileIsByteForByteWhatTorchSharpPyBridgeWrote()
    {
        // So a folder saved before the project wrote safetensors itself keeps its content hash.
        using var model = TinyModels.Create(seed: 4);
        var dir = TinyModels.TempDirectory();
        ModelFolder.Save(model, dir);
        TorchSharp.PyBridge.Safetensors.SaveStateDict(Path.Combine(dir, "pybridge.safetensors"), model.BaseStateDict());

        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "pybridge.safetensors")), File.ReadAllBytes(Path.Combine(dir, ModelFolder.WeightsFile)));
    }

    [Fact]
    public void AHeaderThatClaimsMoreThanTheFileHoldsIsRefused()
    {
        var path = Path.Combine(TinyModels.TempDirectory(), "bad.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.ReadHeader(path));
        Assert.Contains("bad.safetensors: its header claims 1000 bytes", error.Message);
    }

    [Fact]
    public void AShardedIndexNamingAMissingFileNamesIt()
    {
        using var model = TinyLlamas.Create();
        var dir = TinyModels.TempDirectory();
        ModelFolder.Save(model, dir);
        File.Move(Path.Combine(dir, "model.safetensors"), Path.Combine(dir, "model-00001-of-00002.safetensors"));
        var map = string.Join(",", model.BaseStateDict().Keys.Select((k, i) =>
            $"\"{k}\": \"model-0000{(i == 0 ? 2 : 1)}-of-00002.safetensors\""));
        File.WriteAllText(Path.Combine(dir, ModelWeights.IndexFile), $$"""{ "metadata": {}, "weight_map": { {{map}} } }""");

        var error = Assert.Throws<FileNotFoundException>(() => ModelFolder.LoadWeights(model, dir));
        Assert.Contains("model.safetensors.index.json: weight_map names 'model-00002-of-00002.safetensors', which is not in the folder", error.Message);
    }

    [Fact]
    public void ATensorOutsideTheShardTheIndexNamesIsRefused()
    {
        using var model = TinyLlamas.Create();
        var dir = TinyModels.TempDirectory();
        ModelFolder.Save(model, dir);
        File.Move(Path.Combine(dir, "model.safetensors"), Path.Combine(dir, "model-00001-of-00001.safetensors"));
        var map = string.Join(",", model.BaseStateDict().Keys.Skip(1).Select(k => $"\"{k}\": \"model-00001-of-00001.safetensors\""));
        File.WriteAllText(Path.Combine(dir, ModelWeights.IndexFile), $$"""{ "weight_map": { {{map}} } }""");

        var error = Assert.Throws<InvalidDataException>(() => ModelFolder.LoadWeights(model, dir));
        Assert.Contains($"tensor '{model.BaseStateDict().Keys.First()}' is not where model.safetensors.index.json's weight_map puts it", error.Message);
    }

    [Fact]
    public void AFolderWithoutWeightsSaysWhichFilesItLooksFor()
    {
        using var model = TinyLlamas.Create();
        var dir = TinyModels.TempDirectory();
        var error = Assert.Throws<FileNotFoundException>(() => ModelFolder.LoadWeights(model, dir));
        Assert.Contains("no model.safetensors and no model.safetensors.index.json", error.Message);
    }
}
