namespace ForgetLab.Core.Models;

/// <summary>
/// What a model folder's check reads of one file: its length, and its head — the whole file for JSON and
/// tokenizer files, the 8-byte length and JSON header for a safetensors file (never the tensors' bytes).
/// </summary>
public sealed record ModelFileHead(long Length, ReadOnlyMemory<byte> Head);
