using CsCheck;
using ForgetLab.Core.Tests.Specs;
using ForgetLab.Server.Models;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Property tests of the upload path itself (zip reader, streamed staging, folder check), with no
/// server: thousands of generated hostile uploads a run, each either refused with a problem named
/// and nothing left in the store, or (a good folder) taken whole. Limits are scaled down so bombs
/// stay small and a run takes seconds.
/// </summary>
public sealed class UploadValidationFuzzTests
{
    private static readonly UploadLimits Small = UploadLimits.Default with
    {
        MaxWeightsBytes = 2 << 20, MaxExpandedBytes = 3 << 20, RatioGraceBytes = 64 << 10,
    };

    /// <summary>Reads, checks and (when it passes) commits an upload as the API does; answers the problems and what the store holds after.</summary>
    internal static async Task<(IReadOnlyList<string> Problems, MemoryBlocks Store)> Upload(byte[] zip, UploadLimits limits)
    {
        var store = new MemoryBlocks();
        var staged = new StagedModelFiles(store, limits);
        await using (staged)
        {
            using var stream = new MemoryStream(zip, writable: false);
            var errors = await ModelZipReader.Read(stream, staged, limits, CancellationToken.None);
            if (errors.IsEmpty) errors = ModelUploadCheck.Check(staged.Files, limits).Errors;
            if (errors.IsEmpty) await staged.Commit(CancellationToken.None);
            return ([.. errors.Select(e => $"{e.Path}: {e.Message}")], store);
        }
    }

    [Fact]
    public async Task AThousandHostileUploadsAreEachRefusedWithAReasonOrTakenWholeAndNoneCrashes()
    {
        var refused = 0;
        await HostileUploads.Any.CheckAsync(1200, async upload =>
        {
            var (problems, store) = await Upload(upload.Zip, Small);
            if (problems.Count > 0)
            {
                refused++;
                Assert.Empty(store.Held); // nothing staged or committed stays behind
                Assert.All(problems, p => Assert.False(string.IsNullOrWhiteSpace(p)));
            }
            else
            {
                Assert.Equal(["config.json", "model.safetensors", "vocab.json"], store.Committed.Keys.Order());
            }
            if (upload.Valid is { } valid) Assert.True(valid == (problems.Count == 0),
                $"{upload}: expected {(valid ? "accepted" : "refused")}, got {(problems.Count == 0 ? "accepted" : string.Join("; ", problems))}");
        });
        Assert.InRange(refused, 600, 1200);
    }

    [Fact]
    public async Task EveryGoodFolderIsTaken()
    {
        await HostileUploads.Good.CheckAsync(100, async upload =>
        {
            var (problems, _) = await Upload(upload.Zip, UploadLimits.Default);
            Assert.Empty(problems);
        });
    }

    [Fact]
    public async Task AZipOfMoreEntriesThanAModelFolderHasIsRefusedFromItsEndRecord()
    {
        var zip = HostileUploads.Zip(HostileUploads.GoodFiles().Concat(Enumerable.Range(0, 65).Select(i => ($"f{i}.txt", new byte[1]))), "m");

        var (problems, store) = await Upload(zip, UploadLimits.Default);

        Assert.Equal([": the zip holds 68 entries, more than the 64 a model folder may have"], problems);
        Assert.Empty(store.Held);
    }

    [Fact]
    public async Task AnEndRecordThatUndercountsTheDirectoryIsRefusedBeforeAZipReaderReadsItAll()
    {
        var lying = HostileUploads.LyingDirectories.Single();

        var (problems, _) = await Upload(lying.Zip, UploadLimits.Default);

        Assert.Equal([": the zip's directory holds more than the 64 entries a model folder may have"], problems);
    }
}
