using ForgetLab.Core.Checkpoints;

namespace ForgetLab.Core.Tests.Checkpoints;

/// <summary>
/// The checkpoint layout as the worker checks it, without TorchSharp: a folder is intact when its manifest
/// lists every file with its SHA-256, partial without a manifest, corrupted when a file changed.
/// </summary>
public class CheckpointFolderTests
{
    private static string Checkpoint(string run, long step)
    {
        var folder = Path.Combine(run, CheckpointFolder.FolderName(step));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "model.safetensors"), $"weights at {step}");
        File.WriteAllText(Path.Combine(folder, CheckpointFolder.TrainerStateFile), $$"""{"step": {{step}}, "sampler_state": 1}""");
        CheckpointFolder.WriteManifest(folder);
        return folder;
    }

    private static string TempRun() => Directory.CreateTempSubdirectory("forgetlab-checkpoints-").FullName;

    [Fact]
    public void AFolderWhoseFilesMatchItsManifestIsIntactAndNamesItsStep()
    {
        var folder = Checkpoint(TempRun(), 40);

        Assert.Null(CheckpointFolder.Verify(folder));
        Assert.Equal(40, CheckpointFolder.StepOf(folder));
        Assert.Equal(40, CheckpointFolder.StepOfName(Path.GetFileName(folder)));
    }

    [Fact]
    public void AChangedFileIsCorruptedAndAFolderWithoutManifestIsPartial()
    {
        var run = TempRun();
        var corrupted = Checkpoint(run, 8);
        File.AppendAllText(Path.Combine(corrupted, "model.safetensors"), "!");
        var partial = Checkpoint(run, 12);
        File.Delete(Path.Combine(partial, CheckpointFolder.ManifestFile));

        Assert.EndsWith("model.safetensors: SHA-256 differs from the manifest (corrupted)", CheckpointFolder.Verify(corrupted));
        Assert.EndsWith("no manifest.json (partial checkpoint)", CheckpointFolder.Verify(partial));
    }

    [Fact]
    public void TheLatestIntactCheckpointSkipsPartialAndCorruptedOnesAndFoldersOfOtherNames()
    {
        var run = TempRun();
        var intact = Checkpoint(run, 4);
        File.Delete(Path.Combine(Checkpoint(run, 12), CheckpointFolder.ManifestFile));
        File.AppendAllText(Path.Combine(Checkpoint(run, 8), "model.safetensors"), "!");
        Directory.CreateDirectory(Path.Combine(run, "step-latest"));
        Directory.CreateDirectory(Path.Combine(run, "step-12.partial"));

        Assert.Equal(intact, CheckpointFolder.LatestIntact(run));
        Assert.Null(CheckpointFolder.StepOfName("step-latest"));
        Assert.Null(CheckpointFolder.StepOfName("losses.json"));
    }
}
