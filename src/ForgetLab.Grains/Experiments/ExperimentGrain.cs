using System.Collections.Immutable;
using ForgetLab.Contracts.Baselines;
using ForgetLab.Contracts.Board;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Datasets;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Models;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Data;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Models;
using ForgetLab.Core.Scheduling;
using ForgetLab.Core.Specs;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Hosting;
using ForgetLab.Grains.Runs;
using Microsoft.Extensions.Options;

namespace ForgetLab.Grains.Experiments;

/// <summary>
/// An experiment: validates a submitted spec with <see cref="SpecLoader.Parse"/>, expands its grid
/// with <see cref="GridExpansion.Expand"/> (or, for an evaluation-only spec, takes its <c>evaluate</c>
/// entries) into run grains and queues them in the pool, in batches (ExperimentGrain.Scheduling.cs). An invalid spec is
/// answered with every error and leaves nothing behind.
/// </summary>
public sealed partial class ExperimentGrain(
    [PersistentState("experiment", GrainStorage.Name)] IPersistentState<ExperimentGrainState> experiment,
    PlatformClock clock,
    IOptions<ExperimentOptions> options,
    ICheckpointItemReader checkpointItems) : Grain, IExperimentGrain
{
    private static readonly string[] DeviceKinds = [DeviceKind.Any, DeviceKind.Cpu, DeviceKind.Cuda];

    private ExperimentGrainState Current => experiment.State;

    private bool Exists => experiment.State.Submission is not null;

    private string Key => this.GetPrimaryKeyString();

    private string TenantId => GrainKeys.TenantOf(Key);

    private string ExperimentId => GrainKeys.LeafOf(Key);

    public async Task<Reply<ExperimentView>> Submit(Caller caller, ExperimentSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (!TenantAccess.Owns(caller, Key)) return NotFound();
        if (!TenantAccess.Allows(caller, TenantRole.Member)) return Replies.Forbidden<ExperimentView>(TenantRole.Member);

        if (Exists)
        {
            if (Current.Submission != submission)
            {
                return Replies.Conflict<ExperimentView>($"experiment '{ExperimentId}' was submitted with another spec; submit the new one under a new name");
            }

            // A failure (or a restart) may have stopped scheduling: go on from the last batch saved.
            await ScheduleFirstBatch();
            await Directory().Register(ExperimentId); // harmless again; repairs a crash after the first save
            return Replies.Ok(View());
        }

        var (spec, errors) = Parse(submission);
        if (spec is null) return Replies.Invalid<ExperimentView>(errors);
        ModelRecord? registered = null;
        var models = GrainFactory.GetGrain<IModelRegistryGrain>(GrainKeys.Tenant(TenantId));
        if (spec.Base.ModelRef is { } modelRef && (registered = await models.Find(modelRef)) is null)
            return Replies.Invalid<ExperimentView>("base.model_ref", $"no model '{modelRef}' in this tenant's registry (GET /api/v1/models, forgetlab models list)");
        if (registered?.Adapter is { } baseAdapter)
            return Replies.Invalid<ExperimentView>("base.model_ref",
                $"'{registered.Name}' is a PEFT adapter (on '{baseAdapter.BaseModel}'), not a base: name it under evaluate with base.model_ref: {baseAdapter.BaseModel}");

        // An evaluation-only spec's models of the registry must be the tenant's own, as its base must; an adapter must be on this base.
        foreach (var (entry, i) in spec.Evaluate.Select((e, i) => (e, i)))
        {
            if (entry.ModelRef is not { } evaluated) continue;
            if (await models.Find(evaluated) is not { } found)
                return Replies.Invalid<ExperimentView>($"evaluate[{i}].model_ref", $"no model '{evaluated}' in this tenant's registry (GET /api/v1/models, forgetlab models list)");
            if (found.Adapter is { } adapter && adapter.BaseModel != spec.Base.ModelRef)
                return Replies.Invalid<ExperimentView>($"evaluate[{i}].model_ref",
                    $"adapter '{evaluated}' was registered on base '{adapter.BaseModel}', but this spec's base is {(spec.Base.ModelRef is { } b ? $"'{b}'" : "not a registered model")}: evaluate it with base.model_ref: {adapter.BaseModel}");
        }

        // Every data set the spec names must be one of the tenant's own, holding the file named: another tenant's is as missing.
        if (await DataRefProblems(spec) is { IsEmpty: false } dataProblems) return Replies.Invalid<ExperimentView>(dataProblems);

        IReadOnlyList<RunRecipeInfo> recipes;
        try
        {
            recipes = Recipes(spec);
        }
        catch (InvalidOperationException e)
        {
            return Replies.Invalid<ExperimentView>("grid", e.Message);
        }

        // Every run becomes a grain key: a name that cannot be one is refused before anything is stored.
        if (recipes.FirstOrDefault(r => !GrainKeys.IsRunId(r.Name)) is { } unkeyable)
            return Replies.Invalid<ExperimentView>(spec.IsEvaluationOnly ? "evaluate" : "grid",
                $"run name {InputLimits.Quote(unkeyable.Name)} is longer than {GrainKeys.MaxRunIdChars} characters; give the {(spec.IsEvaluationOnly ? "entries" : "methods or variants")} shorter names");

        await Save(new ExperimentGrainState
        {
            Submission = submission,
            Description = spec.Description,
            SubmittedAt = clock.UtcNow,
            Base = registered?.Architecture,
            RunIds = [.. recipes.Select(r => r.Name)],
            Search = spec.Search is { } search ? new ExperimentSearch([.. search.Rungs.Select(r => (long)r)], search.Keep) : null,
        });
        await Directory().Register(ExperimentId);
        _spec = spec;
        await ScheduleFirstBatch();
        return Replies.Ok(View());
    }

    public Task<Reply<ExperimentView>> Get(Caller caller) =>
        Task.FromResult(Visible(caller) ? Replies.Ok(View()) : NotFound());

    /// <remarks>
    /// Runs that have ended are listed from <see cref="ExperimentGrainState.EndedRuns"/>; only the others' grains are
    /// asked (and activated). The first view of a 500-run experiment after a server start otherwise spent 0.4–0.6 s
    /// activating 500 run grains from storage (docs/dashboard.md). Runs found ended here are added to it; if that write
    /// fails the list is still answered, and the next listing tries again.
    /// </remarks>
    public async Task<Reply<ImmutableArray<RunSummary>>> ListRuns(Caller caller)
    {
        if (!Visible(caller)) return Replies.NotFound<ImmutableArray<RunSummary>>($"experiment '{ExperimentId}'");

        var ended = Current.EndedRuns.ToDictionary(r => r.RunId, StringComparer.Ordinal);
        var asked = Current.RunIds.Where(id => !ended.ContainsKey(id)).ToList();
        var views = await Task.WhenAll(asked.Select(id => Run(id).Get(caller)));
        var listed = asked.Zip(views).ToDictionary(pair => pair.First, pair => pair.Second.Value is { } run
            ? new RunSummary(pair.First, run.State, run.LastStep, run.Checkpoints.Length) { MemoryBytes = run.Memory?.PlacementBytes, Preemptions = run.Preemptions.Length }
            : new RunSummary(pair.First, NotCreated, 0, 0), StringComparer.Ordinal);

        var nowEnded = listed.Values.Where(s => RunLifecycle.HasEnded(s.State)).ToList();
        if (nowEnded.Count > 0)
        {
            try
            {
                await Save(Current with { EndedRuns = [.. Current.EndedRuns, .. nowEnded] });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Only a shortcut: storage refusing it must not refuse the list.
            }
        }

        return Replies.Ok<ImmutableArray<RunSummary>>([.. Current.RunIds.Select(id => ended.TryGetValue(id, out var kept) ? kept : listed[id])]);
    }

    /// <summary>
    /// What a run that has no grain yet is: Pending while scheduling creates it (ExperimentGrain.Scheduling.cs); Cancelled once
    /// the experiment is, as scheduling stops then and it never will be created.
    /// </summary>
    private RunState NotCreated => Current.Cancelled ? RunState.Cancelled : RunState.Pending;

    public async Task<Reply<ExperimentView>> Cancel(Caller caller, string reason)
    {
        if (!Visible(caller)) return NotFound();
        if (!TenantAccess.Allows(caller, TenantRole.Member)) return Replies.Forbidden<ExperimentView>(TenantRole.Member);
        if (reason.Length > InputLimits.MaxReasonChars)
            return Replies.Invalid<ExperimentView>("reason", $"must be at most {InputLimits.MaxReasonChars} characters, got {reason.Length}");

        if (!Current.Cancelled) await Save(Current with { Cancelled = true });
        // Saved first: from here no batch creates or queues a run, so the runs cancelled and dequeued below are all there will be.
        if (!Current.Scheduled) await StopScheduling();

        // Runs that ended answer Conflict and stay as they are; leased ones stop through their worker.
        await Task.WhenAll(Current.RunIds.Select(id => Run(id).Cancel(caller, reason)));
        await GrainFactory.GetGrain<IGpuPoolGrain>(GrainKeys.Pool)
            .Dequeue([.. Current.RunIds.Select(id => GrainKeys.Run(TenantId, ExperimentId, id))]);
        return Replies.Ok(View());
    }

    public async Task NoteBaseline(string baselineKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baselineKey);
        var scope = GrainKeys.TenantOf(baselineKey);
        if (scope != GrainKeys.SharedScope && scope != TenantId)
            throw new ArgumentException($"baseline '{baselineKey}' is neither shared nor tenant '{TenantId}'s", nameof(baselineKey));
        if (Exists && Current.BaselineKey is null) await Save(Current with { BaselineKey = baselineKey });
    }

    public async Task NoteBaseModel(ModelArchitecture baseModel)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        // A registered model's record has its dtype and tokenizer; a record from before they were kept takes the worker's reading.
        if (Exists && Current.Base?.Tokenizer is null) await Save(Current with { Base = baseModel });
    }

    public async Task<Reply<BaselineView>> GetBaseline(Caller caller)
    {
        if (!Visible(caller)) return Replies.As<BaselineView, ExperimentView>(NotFound());
        if (Current.BaselineKey is not { } key)
            return Replies.NotFound<BaselineView>($"baseline of experiment '{ExperimentId}' (no run has prepared its base yet)");
        return await GrainFactory.GetGrain<IBaselineGrain>(key).View(caller);
    }

    public async Task<Reply<ExperimentView>> SetPublished(Caller caller, bool published)
    {
        if (!Visible(caller)) return NotFound();
        if (!TenantAccess.Allows(caller, TenantRole.Member)) return Replies.Forbidden<ExperimentView>(TenantRole.Member);

        if (Current.Published != published) await Save(Current with { Published = published });
        // After the experiment's own state, so the board never lists what the experiment does not say is published;
        // a failure here is repaired by publishing (or unpublishing) again.
        await GrainFactory.GetGrain<IBoardGrain>(IBoardGrain.Key).SetPublished(TenantId, ExperimentId, published);
        return Replies.Ok(View());
    }

    /// <summary>Checks the submission and parses its spec; on any problem the spec is null and every error is listed.</summary>
    private (LabSpec? Spec, ImmutableArray<FieldError> Errors) Parse(ExperimentSubmission submission)
    {
        var errors = ImmutableArray.CreateBuilder<FieldError>();
        if (!DeviceKinds.Contains(submission.DeviceKind))
            errors.Add(new FieldError(0, "deviceKind", $"must be one of {string.Join(", ", DeviceKinds)}, got {InputLimits.Quote(submission.DeviceKind)}"));
        // A run asking for more devices than any worker has would wait in the queue forever.
        if (submission.DevicesPerRun is < 1 or > InputLimits.MaxDevicesPerRun)
            errors.Add(new FieldError(0, "devicesPerRun", $"must be between 1 and {InputLimits.MaxDevicesPerRun}, got {submission.DevicesPerRun}"));
        if (!PriorityClasses.TryParse(submission.PriorityClass, out _))
            errors.Add(new FieldError(0, "priorityClass", $"must be one of {string.Join(", ", PriorityClasses.Names)}, got {InputLimits.Quote(submission.PriorityClass)}"));
        if (Math.Abs((long)submission.Priority) > InputLimits.MaxPriority)
            errors.Add(new FieldError(0, "priority", $"must be between -{InputLimits.MaxPriority} and {InputLimits.MaxPriority}, got {submission.Priority}"));
        if (string.IsNullOrWhiteSpace(submission.SpecText))
        {
            errors.Add(new FieldError(0, "spec", "the spec is empty"));
            return (null, errors.ToImmutable());
        }

        LabSpec? spec = null;
        try
        {
            spec = SpecLoader.ParseUnder(submission.SpecText, $"{ExperimentId}.yaml", options.Value.SpecFiles);
        }
        catch (SpecValidationException e)
        {
            errors.AddRange(e.Errors.Select(error => new FieldError(error.Line, error.Path, error.Message)));
        }

        if (spec is not null && spec.Name != ExperimentId)
            errors.Add(new FieldError(0, "name", $"the spec is named '{spec.Name}' but was submitted as experiment '{ExperimentId}'; they must match"));
        return errors.Count == 0 ? (spec, []) : (null, errors.ToImmutable());
    }

    /// <summary>
    /// The runs of a spec: its grid's recipes, or, for an evaluation-only spec, one run per <c>evaluate</c> entry, which trains
    /// nothing (method <c>evaluate</c>, 0 steps) and is scored once, as step 0, by the worker's job.
    /// </summary>
    private static IReadOnlyList<RunRecipeInfo> Recipes(LabSpec spec) => spec.IsEvaluationOnly
        ? [.. spec.Evaluate.Select(e => new RunRecipeInfo(e.Name, EvaluatedMethod, 0, 0, spec.Seed))]
        : [.. GridExpansion.Expand(spec).Select(r => new RunRecipeInfo(r.Name, r.Method.Label, r.Lr, r.Steps, r.Seed))];

    /// <summary>The method label of a run that evaluates a model trained elsewhere.</summary>
    public const string EvaluatedMethod = "evaluate";

    /// <summary>
    /// A run's memory at submission: a grid recipe's estimate (fine-tuning, evaluation, pre-training phases), an
    /// evaluation-only run's the evaluation of its model on the base's shape.
    /// </summary>
    private static RunMemory MemoryOf(LabSpec spec, RunRecipeInfo recipe, IReadOnlyDictionary<string, RunRecipe> grid, (BaseModelShape? Shape, string? Why) baseShape) =>
        recipe.Method == EvaluatedMethod
            ? RunMemories.ForEvaluation(spec, baseShape)
            : RunMemories.For(spec, grid[recipe.Name], baseShape).Memory;

    /// <summary>
    /// The base's shape for the runs' memory estimates: a world base's from its spec, a registered model's from what the
    /// registry recorded of its config.json, a model folder's from its config.json (read under the spec directory, as the
    /// spec's other files are). Null with the reason when it cannot be known here.
    /// </summary>
    private (BaseModelShape? Shape, string? Why) BaseShape(LabSpec spec)
    {
        if (spec.Base.IsPretrained) return (BaseModelShape.OfWorld(spec.Base), null);
        if (spec.Base.ModelRef is not null)
            return Current.Base is { } recorded && RunMemories.ShapeOf(recorded) is { } shape
                ? (shape, null)
                : (null, $"model '{spec.Base.ModelRef}' was registered before the registry kept its architecture's full shape; register it again");
        try
        {
            return (BaseModelShape.OfConfig(HfConfig.Read(System.IO.Path.Combine(spec.Base.Path!, ModelFiles.ConfigFile))), null);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException or ArgumentException)
        {
            return (null, $"the base's config.json could not be read: {e.Message}");
        }
    }

    /// <summary>Each <c>data_ref</c> of the spec that names no data set of this tenant's registry, or a file it does not hold, at its field and line.</summary>
    private async Task<ImmutableArray<FieldError>> DataRefProblems(LabSpec spec)
    {
        if (spec.DataRefs.Count == 0) return [];
        var registry = GrainFactory.GetGrain<IDatasetRegistryGrain>(GrainKeys.Tenant(TenantId));
        var problems = ImmutableArray.CreateBuilder<FieldError>();
        foreach (var named in spec.DataRefs)
        {
            var found = await registry.Find(named.Name);
            var problem = found is null
                ? $"no data set '{named.Name}' in this tenant's registry (GET /api/v1/datasets, forgetlab datasets list)"
                : SpecFiles.DatasetFile(named.Name, named.File, [.. found.Files.Select(f => f.Name)], named.Kind)
                  ?? ShapeProblem(named, found);
            if (problem is not null) problems.Add(new FieldError(named.Line, $"{named.Field}.data_ref", problem));
        }
        return problems.ToImmutable();
    }

    /// <summary>
    /// A corpus holds <c>{"text"}</c> lines, and fine-tuning data examples rather than a suite's items: a registered file of
    /// another shape is refused here, not at the worker.
    /// </summary>
    private static string? ShapeProblem(DataRef named, DatasetRecord found)
    {
        if (named.Kind == DataRefKind.Suite)
        {
            // An lm-eval include-only file is read through the tasks that include it, never as a suite of its own.
            var header = found.Files.FirstOrDefault(f => f.Name == named.File);
            return header?.Shape == DataShapes.SuiteInclude
                ? $"{header.Name} of data set '{named.Name}' is an include-only file of an lm-eval task (it has no task: of its own): name the task that includes it"
                : null;
        }
        if (named.Kind != DataRefKind.Data) return null; // a tokenizer or a chat template: its kind is its name's, checked at upload
        var file = found.Files.First(f => f.Name == (named.File ?? found.Files.First(d => DataRef.IsDataFile(d.Name)).Name));
        if (file.Shape == DataShapes.SuiteItems)
            return $"{file.Name} of data set '{named.Name}' holds a suite's items (a suite header names it), not {(named.Field.EndsWith(".corpus", StringComparison.Ordinal) ? "a corpus" : "fine-tuning examples")}";
        if (!named.Field.EndsWith(".corpus", StringComparison.Ordinal)) return null;
        return file.Shape == "text" ? null : $"a corpus holds {{\"text\"}} lines; {file.Name} of data set '{named.Name}' holds {file.Shape} lines";
    }

    private IExperimentDirectoryGrain Directory() => GrainFactory.GetGrain<IExperimentDirectoryGrain>(GrainKeys.Tenant(TenantId));

    private IRunGrain Run(string runId) => GrainFactory.GetGrain<IRunGrain>(GrainKeys.Run(TenantId, ExperimentId, runId));

    private bool Visible(Caller caller) => Exists && TenantAccess.Owns(caller, Key);

    private Reply<ExperimentView> NotFound() => Replies.NotFound<ExperimentView>($"experiment '{ExperimentId}'");

    private Task Save(ExperimentGrainState next) => experiment.SaveOrRollBack(next, "experiment");

    private ExperimentView View() => new(
        TenantId, ExperimentId, Current.Description, Current.SubmittedAt, Current.RunIds, Current.Cancelled, Current.Published,
        Current.Submission!.SpecText) { Base = Current.Base, Rungs = Current.Rungs };
}
