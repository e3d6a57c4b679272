namespace ForgetLab.Lab.Runs;

/// <summary>The user's own general text per consolidation method, as token ids per document; null: the base's pre-training text.</summary>
public sealed record ConsolidationCorpora(IReadOnlyList<int[]>? Replay, IReadOnlyList<int[]>? Ewc, IReadOnlyList<int[]>? Distill);
