using System.Buffers;
using System.Collections.Immutable;
using System.Security.Cryptography;
using ForgetLab.Contracts.Common;
using ForgetLab.Core.Models;

namespace ForgetLab.Server.Models;

/// <summary>
/// A model upload in progress: each model file streams through in blocks of <see cref="BlockBytes"/>,
/// hashed and staged into <see cref="IModelBlocks"/> as it comes, its expanded size counted against
/// the <see cref="UploadLimits"/> (per file, in all, and against its compressed size) so an upload
/// stops at the first byte too many. Only the head a check needs is kept in memory. Nothing becomes
/// readable before <see cref="Commit"/>; <see cref="DisposeAsync"/> discards an upload never committed.
/// </summary>
public sealed class StagedModelFiles(IModelBlocks blocks, UploadLimits limits) : IAsyncDisposable
{
    /// <summary>The block size: the one buffer an upload holds while it streams (4 MiB).</summary>
    public const int BlockBytes = 4 << 20;

    private readonly Dictionary<string, ModelFileContent> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _blocks = new(StringComparer.Ordinal);
    private long _expanded;
    private bool _committed;

    public IReadOnlyDictionary<string, ModelFileContent> Files => _files;

    /// <summary>Bytes expanded so far, all files together.</summary>
    public long ExpandedBytes => _expanded;

    /// <summary>
    /// Streams one model file in. <paramref name="compressedLength"/> is the bytes the zip reader may
    /// read for it (null when it is not compressed); the expansion ratio is checked against it on the
    /// bytes really decompressed. Answers the problems that stopped it, or none.
    /// </summary>
    public async Task<ImmutableArray<FieldError>> Add(string file, Stream source, long? compressedLength, CancellationToken cancel)
    {
        if (_files.ContainsKey(file) || _blocks.ContainsKey(file))
            return [new FieldError(0, "", $"the zip holds {file} twice; zip one model folder")];
        var ids = new List<string>();
        _blocks[file] = ids;
        var max = limits.MaxBytes(file);
        var head = new HeadCapture(file, ModelFiles.IsSafetensors(file), max, limits);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
        try
        {
            long length = 0;
            var filled = 0;
            while (true)
            {
                var read = await source.ReadAsync(buffer.AsMemory(filled, BlockBytes - filled), cancel);
                if (read == 0) break;
                length += read;
                _expanded += read;
                if (length > max)
                    return [new FieldError(0, file, $"expands to more than {max} bytes, the most a {file} may hold")];
                if (limits.ExpansionProblem(file, length, _expanded, compressedLength) is { } tooMuch) return [tooMuch];
                sha.AppendData(buffer, filled, read);
                var problems = head.Append(buffer.AsSpan(filled, read), length);
                if (!problems.IsEmpty) return problems;
                filled += read;
                if (filled == BlockBytes)
                {
                    await Stage(file, ids, buffer, filled, cancel);
                    filled = 0;
                }
            }
            if (filled > 0) await Stage(file, ids, buffer, filled, cancel);
            _files[file] = new ModelFileContent(file, length, Convert.ToHexStringLower(sha.GetHashAndReset()), head.Bytes);
            return [];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Makes every file readable, config.json last (a reader that finds it finds the others).</summary>
    public async Task Commit(CancellationToken cancel)
    {
        foreach (var file in _blocks.Keys.OrderBy(f => f == ModelFiles.ConfigFile).ThenBy(f => f, StringComparer.Ordinal).ToList())
            await blocks.Commit(file, _blocks[file], cancel);
        _committed = true;
    }

    /// <summary>Drops everything staged (or committed: a registration that lost a race).</summary>
    public async Task Discard(CancellationToken cancel)
    {
        // A file with no staged block left nothing behind, unless it was committed (empty).
        foreach (var file in _blocks.Where(b => b.Value.Count > 0 || _committed).Select(b => b.Key).ToList()) await blocks.Discard(file, cancel);
        _blocks.Clear();
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed) await Discard(CancellationToken.None);
    }

    private async Task Stage(string file, List<string> ids, byte[] buffer, int count, CancellationToken cancel)
    {
        var id = Convert.ToBase64String(BitConverter.GetBytes(ids.Count)); // same length for every block, as Blob storage asks
        await blocks.Stage(file, id, buffer.AsMemory(0, count), cancel);
        ids.Add(id);
    }

    /// <summary>
    /// The part of a file its check reads: all of a JSON file, or a safetensors file's length and header.
    /// A safetensors header is checked the moment it is complete, so a bad one (or a file longer than
    /// its tensors) stops the upload there, not at the end of the file.
    /// </summary>
    private sealed class HeadCapture(string file, bool safetensors, long max, UploadLimits limits)
    {
        private readonly ArrayBufferWriter<byte> _head = new();
        private long? _wanted = safetensors ? 8 : max;
        private long? _expectedLength;

        public ReadOnlyMemory<byte> Bytes => _head.WrittenMemory;

        public ImmutableArray<FieldError> Append(ReadOnlySpan<byte> chunk, long lengthSoFar)
        {
            if (_expectedLength is { } expected && lengthSoFar > expected)
                return [new FieldError(0, file, $"holds more than the {expected} bytes its header's tensors account for")];
            while (_wanted is { } wanted && _head.WrittenCount < wanted && chunk.Length > 0)
            {
                var take = (int)Math.Min(chunk.Length, wanted - _head.WrittenCount);
                _head.Write(chunk[..take]);
                chunk = chunk[take..];
                if (!safetensors || _head.WrittenCount < wanted) continue;
                if (wanted == 8)
                {
                    // The length is a claim: more than the cap is refused before a byte of header is kept.
                    var claimed = SafetensorsHeader.ClaimedLength(_head.WrittenSpan);
                    if (claimed > (ulong)limits.MaxSafetensorsHeaderBytes || claimed > (ulong)(max - 8))
                        return [new FieldError(0, file, $"its header claims {claimed} bytes, more than the {Math.Min(limits.MaxSafetensorsHeaderBytes, max - 8)} allowed: not a safetensors file")];
                    _wanted = 8 + (long)claimed;
                    if (claimed > 0) continue;
                }
                var (expectedLength, errors) = ModelUploadCheck.CheckWeightsHeader(_head.WrittenSpan, file, limits);
                if (!errors.IsEmpty) return errors;
                if (expectedLength > max)
                    return [new FieldError(0, file, $"its header's tensors need {expectedLength} bytes, more than the {max} a {file} may hold")];
                _expectedLength = expectedLength;
                _wanted = null;
                if (lengthSoFar - chunk.Length > expectedLength || lengthSoFar > expectedLength)
                    return [new FieldError(0, file, $"holds more than the {expectedLength} bytes its header's tensors account for")];
            }
            return [];
        }
    }
}
