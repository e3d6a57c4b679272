namespace ForgetLab.Core.Specs;

/// <summary>
/// One experiment: the base model, the fine-tuning target, the suites to watch, default training
/// settings, the grid of recipes and, optionally, the variants the grid is applied to. Load with <see cref="SpecLoader"/>; expand with
/// <see cref="GridExpansion"/>.
/// </summary>
public sealed record LabSpec
{
    /// <summary>Experiment name: 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit. Required.</summary>
    public required string Name { get; init; }

    /// <summary>Free text shown with the experiment. Optional.</summary>
    public string? Description { get; init; }

    /// <summary>Seed for pre-training the base and the default fine-tuning seed. Default 0.</summary>
    public int Seed { get; init; }

    public BaseModelSpec Base { get; init; } = new();

    public TargetSpec Target { get; init; } = new();

    /// <summary>Suites evaluated on the base and on every checkpoint. Not empty, no duplicates.</summary>
    public IReadOnlyList<SuiteRef> Suites { get; init; } = [SuiteRef.BuiltIn("target")];

    /// <summary>Defaults for every run of the grid.</summary>
    public TrainSpec Train { get; init; } = new();

    public GridSpec Grid { get; init; } = new();

    /// <summary>
    /// One-at-a-time recipes, each crossed with the grid's axes; empty means the grid alone.
    /// Names are unique.
    /// </summary>
    public IReadOnlyList<VariantSpec> Variants { get; init; } = [];

    public EvalSpec Eval { get; init; } = new();

    /// <summary>
    /// Models trained elsewhere to evaluate against the base instead of a grid to train (<c>evaluate:</c>);
    /// empty for a spec that trains. Names are unique; a spec has either this or a grid/variants, never both.
    /// </summary>
    public IReadOnlyList<EvaluateEntry> Evaluate { get; init; } = [];

    /// <summary>
    /// Every data file the spec names from the platform's data set registry (<c>{ data_ref: NAME }</c>), in spec order:
    /// the platform checks each against the tenant's registry at submission, and a worker brings each to its machine.
    /// </summary>
    public IReadOnlyList<DataRef> DataRefs { get; init; } = [];

    /// <summary>True when the spec only evaluates models it is given (<see cref="Evaluate"/>) and trains nothing.</summary>
    public bool IsEvaluationOnly => Evaluate.Count > 0;

    /// <summary>What each run needs of a device (memory); nothing declared by default.</summary>
    public ResourcesSpec Resources { get; init; } = new();

    /// <summary>The forgetting-aware search that stops dominated runs at its rungs (<c>search:</c>); null trains every run to its end.</summary>
    public SearchSpec? Search { get; init; }
}
