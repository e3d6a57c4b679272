namespace ForgetLab.Server.Datasets;

/// <summary>
/// One file of an upload that passed its checks, in a temporary file until it is stored. <see cref="Shape"/> is the data shape
/// (<c>prompt_completion</c>, <c>messages</c>, <c>text</c>), or <c>suite_header</c> / <c>suite_items</c>.
/// </summary>
public sealed record CheckedDataFile(string Name, FileStream Content, long Bytes, string Sha256, string Shape, int Examples);
