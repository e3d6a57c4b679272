using System.Collections.Immutable;

namespace ForgetLab.Contracts.Registry;

/// <summary>
/// What a registry keeps of an entry: its name, and the stored files that name stands for. Two registrations of one
/// name are the same entry exactly when their files are equal (<typeparamref name="TFile"/> is a record of name and hash).
/// </summary>
public interface IRegistryEntry<TFile>
{
    string Name { get; }

    ImmutableArray<TFile> Files { get; }
}
