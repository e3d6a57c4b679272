using System.Text.Json;

namespace ForgetLab.Lab.World;

/// <summary>
/// The facts the built-in world is made of, read from the derived files in World/Data (see SOURCES.md there).
/// They are copied next to the assembly at build time, so the default location is the output folder.
/// </summary>
public sealed class WorldFacts
{
    public WorldFacts(IReadOnlyList<Country> countries, IReadOnlyList<Element> elements)
    {
        Countries = countries;
        Elements = elements;
    }

    public IReadOnlyList<Country> Countries { get; }

    public IReadOnlyList<Element> Elements { get; }

    /// <summary>The folder the data files are copied to on build.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "World", "Data");

    public static WorldFacts Load(string? directory = null)
    {
        directory ??= DefaultDirectory;
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var countries = Read<CountryRow>(Path.Combine(directory, "countries.json"), options)
            .Where(row => !string.IsNullOrWhiteSpace(row.Capital))
            .Select(row => new Country(
                Required(row.Name, "name"),
                Required(row.Capital, "capital"),
                Required(row.Continent, "continent"),
                Required(row.Currency, "currency"),
                row.Languages ?? []))
            .ToList();
        var elements = Read<ElementRow>(Path.Combine(directory, "elements.json"), options)
            .Select(row => new Element(Required(row.Name, "name"), Required(row.Symbol, "symbol"), row.Number))
            .OrderBy(element => element.Number)
            .ToList();
        return new WorldFacts(countries, elements);
    }

    private static List<T> Read<T>(string path, JsonSerializerOptions options)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"World data file not found: {path}. Is World/Data copied to the output folder?", path);
        }

        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<List<T>>(stream, options)
            ?? throw new InvalidDataException($"{path} holds no list.");
    }

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidDataException($"A world data row has no '{field}'.") : value;

    private sealed record CountryRow(string? Name, string? Capital, string? Continent, string? Currency, List<string>? Languages);

    private sealed record ElementRow(string? Name, string? Symbol, int Number);
}
