namespace ForgetLab.Lab.World;

/// <summary>How much generated skill text the pre-training corpus mixes in with the facts.</summary>
/// <param name="Seed">Chooses the generated sums and copy lines, and the order of <see cref="WorldCorpus.Stream"/>.</param>
/// <param name="ArithmeticLines">Addition lines ("1 2 3 + 4 5 = 1 6 8 ."), never an evaluation sum.</param>
/// <param name="CopyLines">In-context copy lines ("copy : red blue -> red blue .").</param>
public sealed record WorldCorpusOptions(int Seed = 0, int ArithmeticLines = 600, int CopyLines = 150);
