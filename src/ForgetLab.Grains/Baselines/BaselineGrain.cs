using System.Collections.Immutable;
using ForgetLab.Contracts.Baselines;
using ForgetLab.Contracts.Common;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Hosting;

namespace ForgetLab.Grains.Baselines;

/// <summary>
/// One base model's baseline: the first run to evaluate a suite definition on it records the
/// result, and every later run — on any worker, of any tenant that may use the base — reuses it.
/// A grain turn is the unit of concurrency, so two workers racing to record the same suite are
/// ordered here: the first is kept, the second is told so and gets the first one back.
/// </summary>
public sealed class BaselineGrain(
    [PersistentState("baseline", GrainStorage.Name)] IPersistentState<BaselineState> baseline) : Grain, IBaselineGrain
{
    private string Key => this.GetPrimaryKeyString();

    private string Scope => GrainKeys.TenantOf(Key);

    private bool Shared => Scope == GrainKeys.SharedScope;

    public Task<ImmutableArray<BaselineEntry>> Entries() => Task.FromResult(baseline.State.Entries);

    public async Task<BaselineRecording> Record(BaselineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (string.IsNullOrWhiteSpace(entry.Suite) || string.IsNullOrWhiteSpace(entry.Version) || string.IsNullOrWhiteSpace(entry.BlobLocation))
            throw new ArgumentException("a baseline entry needs a suite, a version and a blob location", nameof(entry));

        if (Find(entry) is { } stored) return new BaselineRecording(stored, stored == entry);

        await baseline.SaveOrRollBack(baseline.State with { Entries = baseline.State.Entries.Add(entry) }, "baseline");
        return new BaselineRecording(entry, true);
    }

    public Task<Reply<BaselineView>> View(Caller caller)
    {
        // A tenant's own base model is as private as its experiments: another tenant gets the not-found answer.
        var visible = caller is not null && (Shared ? GrainKeys.IsTenantId(caller.TenantId) : TenantAccess.Owns(caller, Key));
        if (!visible || baseline.State.Entries.IsEmpty)
            return Task.FromResult(Replies.NotFound<BaselineView>($"baseline of model '{GrainKeys.LeafOf(Key)}'"));
        var entries = baseline.State.Entries.Sort((a, b) => string.CompareOrdinal(a.Suite, b.Suite) is var bySuite and not 0 ? bySuite : string.CompareOrdinal(a.Version, b.Version));
        return Task.FromResult(Replies.Ok(new BaselineView(GrainKeys.LeafOf(Key), Shared, entries)));
    }

    private BaselineEntry? Find(BaselineEntry entry) => baseline.State.Entries.FirstOrDefault(e =>
        e.Suite == entry.Suite && e.Version == entry.Version && e.Definition == entry.Definition);
}
