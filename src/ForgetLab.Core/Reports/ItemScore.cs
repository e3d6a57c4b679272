namespace ForgetLab.Core.Reports;

/// <summary>One item's outcome at one checkpoint (a line of its <c>items.jsonl</c>, without the answer text): what a paired comparison reads.</summary>
public sealed record ItemScore(string Suite, string Version, string Id, double Value);
