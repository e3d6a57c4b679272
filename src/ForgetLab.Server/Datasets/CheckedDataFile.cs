using ForgetLab.Core.Data;

namespace ForgetLab.Server.Datasets;

/// <summary>One JSONL file of an upload that passed the lab's checks, in a temporary file until it is stored.</summary>
public sealed record CheckedDataFile(string Name, FileStream Content, long Bytes, string Sha256, DataShape Shape, int Examples);
