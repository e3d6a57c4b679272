namespace ForgetLab.Lab.World;

/// <summary>A country that does not exist, with an invented capital and a real continent.</summary>
public sealed record InventedCountry(string Name, string Capital, string Continent);
