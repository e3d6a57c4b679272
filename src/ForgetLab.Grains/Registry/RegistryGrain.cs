using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Registry;
using ForgetLab.Grains.Common;

namespace ForgetLab.Grains.Registry;

/// <summary>
/// <see cref="IRegistryGrain{TEntry}"/> kept once for every registry of a tenant: only the tenant's own callers see it,
/// another tenant's entry looks exactly like one that does not exist, and a name, once registered, always means the same
/// files. A subclass says what its entries are called in messages (<paramref name="noun"/>) and where they are in its state.
/// </summary>
public abstract class RegistryGrain<TEntry, TFile, TState>(IPersistentState<TState> registry, string noun, string stateOwner)
    : Grain, IRegistryGrain<TEntry>
    where TEntry : class, IRegistryEntry<TFile>
{
    protected string TenantId => this.GetPrimaryKeyString();

    protected IPersistentState<TState> Registry => registry;

    /// <summary>The registered entries in the state.</summary>
    protected abstract ImmutableArray<TEntry> Entries(TState state);

    /// <summary>The state with these entries.</summary>
    protected abstract TState WithEntries(TState state, ImmutableArray<TEntry> entries);

    /// <summary>Why this name may not be registered again although it is free, or null (a deleted data set's name).</summary>
    protected virtual string? Retired(string name) => null;

    public Task<Reply<ImmutableArray<TEntry>>> List(Caller caller) => Task.FromResult(
        Visible(caller)
            ? Replies.Ok(Entries(registry.State).Sort((a, b) => string.CompareOrdinal(a.Name, b.Name)))
            : Replies.NotFound<ImmutableArray<TEntry>>($"tenant '{TenantId}'"));

    public Task<Reply<TEntry>> Get(Caller caller, string name) => Task.FromResult(
        Visible(caller) && Named(name) is { } entry ? Replies.Ok(entry) : NotFound(name));

    public async Task<Reply<TEntry>> Register(Caller caller, TEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!Visible(caller)) return NotFound(entry.Name);
        if (!TenantAccess.Allows(caller, TenantRole.Member)) return Replies.Forbidden<TEntry>(TenantRole.Member);
        if (!RegistryNames.IsValid(entry.Name)) return Replies.Invalid<TEntry>("name", RegistryNames.Rule);
        if (entry.Files.IsDefaultOrEmpty) return Replies.Invalid<TEntry>("files", $"a {noun} needs its files");

        if (Retired(entry.Name) is { } retired) return Replies.Conflict<TEntry>(retired);
        if (Named(entry.Name) is { } existing)
        {
            return existing.Files.SequenceEqual(entry.Files)
                ? Replies.Ok(existing)
                : Replies.Conflict<TEntry>($"{noun} '{entry.Name}' is registered with other files; register these under a new name");
        }

        await Save(WithEntries(registry.State, Entries(registry.State).Add(entry)));
        return Replies.Ok(entry);
    }

    public Task<TEntry?> Find(string name) => Task.FromResult(Named(name));

    protected TEntry? Named(string name) => Entries(registry.State).FirstOrDefault(e => e.Name == name);

    protected bool Visible(Caller caller) => TenantAccess.Owns(caller, TenantId);

    protected Reply<TEntry> NotFound(string name) => Replies.NotFound<TEntry>($"{noun} '{name}'");

    protected Task Save(TState next) => registry.SaveOrRollBack(next, stateOwner);
}
