namespace ForgetLab.Core.Specs;

/// <summary>
/// The registry of fine-tuning methods a spec may name, in the order messages list them. A new
/// method is a sealed <see cref="MethodSpec"/> record with its <see cref="MethodKind"/>, and one
/// line here (the engine registers its side in <c>ForgetLab.Lab.Peft.PeftMethods</c>).
/// </summary>
internal static class MethodKinds
{
    public static IReadOnlyList<MethodKind> All { get; } =
        [FullSpec.Kind, LoraSpec.Kind, AdapterSpec.Kind, PrefixSpec.Kind, BitFitSpec.Kind, FreezeSpec.Kind, Ia3Spec.Kind];

    public static IReadOnlyDictionary<string, MethodKind> ByName { get; } = All.ToDictionary(k => k.Name, StringComparer.Ordinal);
}
