using System.IO.Compression;
using ForgetLab.Cli.Commands;
using ForgetLab.Contracts.Models;

namespace ForgetLab.Cli.Tests;

/// <summary><c>forgetlab models</c>: the zip it uploads and the list it prints.</summary>
public class ModelCommandsTests
{
    [Fact]
    public void UploadZipsTheModelFilesAtTheRootAndLeavesTheRestOfTheFolderBehind()
    {
        var dir = Directory.CreateTempSubdirectory("forgetlab-model-").FullName;
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.json", "optimizer.bin" })
            File.WriteAllText(Path.Combine(dir, file), file);

        using var zip = new ZipArchive(new MemoryStream(ModelCommands.Zip(dir)));

        Assert.Equal(["config.json", "model.safetensors", "vocab.json"], zip.Entries.Select(e => e.FullName).Order());
        using var reader = new StreamReader(zip.GetEntry("vocab.json")!.Open());
        Assert.Equal("vocab.json", reader.ReadToEnd());
    }

    [Fact]
    public void TheListShowsEachModelsSizeShapeAndSource()
    {
        var output = new StringWriter();
        ModelTable.Write([new ModelRecord("my-base", new ModelArchitecture("gpt2", 512, 32, 32, 1, 2, 123_456), [], "checkpoints/t/models/my-base/", "experiment:exp", DateTimeOffset.UnixEpoch)], output);
        var empty = new StringWriter();
        ModelTable.Write([], empty);

        Assert.Matches(@"my-base\s+123,456\s+1×32\s+experiment:exp", output.ToString());
        Assert.StartsWith("no models registered", empty.ToString());
    }
}
