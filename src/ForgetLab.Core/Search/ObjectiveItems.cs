namespace ForgetLab.Core.Search;

/// <summary>
/// One objective suite of a run's checkpoint with its per-item outcomes (1/0 for the binary suites that enter an objective),
/// so two runs scored on the same items can be compared item by item (<see cref="PairedRunDifference"/>). Plain data: the
/// caller reads the items (the checkpoint's <c>items.jsonl</c>); Core never does I/O here.
/// </summary>
/// <param name="Objective">The suite's delta against the base with its interval, and the objective it enters.</param>
/// <param name="Version">The suite version the items were scored on; runs are paired only on the same version.</param>
/// <param name="ItemIds">Item ids, unique within the suite.</param>
/// <param name="Values">One outcome per item id, same order.</param>
public sealed record ObjectiveItems(ObjectiveSuite Objective, string Version, IReadOnlyList<string> ItemIds, IReadOnlyList<double> Values);
