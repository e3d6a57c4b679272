namespace ForgetLab.Server.Models;

/// <summary>
/// What a model file's check needs, gathered while the file streamed past: its length and SHA-256,
/// and its head — the whole file for config.json and the tokenizer's files, the 8-byte length and the JSON
/// header for a safetensors file (the tensors' bytes themselves are only counted and hashed).
/// </summary>
public sealed record ModelFileContent(string Name, long Length, string Sha256, ReadOnlyMemory<byte> Head)
{
    /// <summary>A file held whole in memory (an experiment's base in tests, or a unit test's folder).</summary>
    public static ModelFileContent Whole(string name, byte[] bytes) =>
        new(name, bytes.LongLength, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), bytes);
}
