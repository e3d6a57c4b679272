namespace ForgetLab.Lab.World;

/// <summary>A real country as the built-in world knows it; names are as in the data file, not normalised.</summary>
public sealed record Country(string Name, string Capital, string Continent, string Currency, IReadOnlyList<string> Languages);
