namespace ForgetLab.Lab.World;

/// <summary>
/// Every sentence shape the world uses, in one place, so that the pre-training corpus, the
/// fine-tuning targets and the suites ask a question in exactly the same words.
/// All results are normalised (<see cref="WorldText.Normalize"/>).
/// </summary>
internal static class Phrasings
{
    public static string CapitalQuestion(string country) => N($"q : what is the capital of {country} ? a :");

    public static string ContinentQuestion(string country) => N($"q : which continent is {country} in ? a :");

    public static string CurrencyQuestion(string country) => N($"q : what is the currency of {country} ? a :");

    public static string LanguageQuestion(string country) => N($"q : which language is spoken in {country} ? a :");

    public static string SymbolQuestion(string element) => N($"q : what is the symbol of {element} ? a :");

    public static string NumberQuestion(string element) => N($"q : what is the atomic number of {element} ? a :");

    public static string Sum(int a, int b) => N($"{a} + {b} =");

    public static string Copy(IEnumerable<string> words) => N($"copy : {string.Join(' ', words)} ->");

    public static string Reverse(IEnumerable<string> words) => N($"reverse : {string.Join(' ', words)} ->");

    /// <summary>A completion: the answer words and the full stop that ends every answer.</summary>
    public static string Answer(string answer) => N($"{answer} .");

    public static string Line(string prompt, string answer) => $"{prompt} {Answer(answer)}";

    /// <summary>"a", "a and b", "a , b and c".</summary>
    public static string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(" , ", items.Take(items.Count - 1)) + " and " + items[^1],
    };

    /// <summary>Everything pre-training says about a country: each fact in statement and question forms.</summary>
    public static IEnumerable<string> Country(Country c)
    {
        yield return N($"the capital of {c.Name} is {c.Capital} .");
        yield return N($"{c.Capital} is the capital of {c.Name} .");
        yield return Line(CapitalQuestion(c.Name), c.Capital);
        yield return Line(N($"q : {c.Capital} is the capital of which country ? a :"), c.Name);

        yield return N($"{c.Name} is in {c.Continent} .");
        yield return N($"{c.Name} is a country in {c.Continent} .");
        yield return Line(ContinentQuestion(c.Name), c.Continent);

        yield return N($"the currency of {c.Name} is {c.Currency} .");
        yield return N($"in {c.Name} people pay with {c.Currency} .");
        yield return Line(CurrencyQuestion(c.Name), c.Currency);

        if (c.Languages.Count > 0)
        {
            yield return N($"people in {c.Name} speak {List(c.Languages)} .");
            foreach (var language in c.Languages)
            {
                yield return Line(LanguageQuestion(c.Name), language);
                yield return N($"{language} is spoken in {c.Name} .");
            }
        }

        // General descriptive text: several facts in one line.
        yield return N($"{c.Name} is a country in {c.Continent} . its capital is {c.Capital} .");
        yield return c.Languages.Count > 0
            ? N($"the people of {c.Name} pay with {c.Currency} and speak {List(c.Languages)} .")
            : N($"the people of {c.Name} pay with {c.Currency} .");
    }

    public static IEnumerable<string> Element(Element e)
    {
        yield return N($"the symbol of {e.Name} is {e.Symbol} .");
        yield return N($"{e.Symbol} is the symbol of {e.Name} .");
        yield return Line(SymbolQuestion(e.Name), e.Symbol);
        yield return N($"the atomic number of {e.Name} is {e.Number} .");
        yield return Line(NumberQuestion(e.Name), e.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return N($"element {e.Number} is {e.Name} .");
        yield return N($"{e.Name} is an element . its symbol is {e.Symbol} and its atomic number is {e.Number} .");
    }

    /// <summary>
    /// Phrasings pre-training never uses, built only from words it does use: held-out text whose
    /// perplexity tells whether the model still knows the language around the facts.
    /// </summary>
    public static string HeldOutCountry(Country c, int variant) => (variant % 3) switch
    {
        0 when c.Languages.Count > 0 => N($"in {c.Name} people speak {List(c.Languages)} and pay with {c.Currency} ."),
        0 or 1 => N($"{c.Capital} is the capital of {c.Name} , a country in {c.Continent} ."),
        _ => N($"the capital of {c.Name} is {c.Capital} and its currency is {c.Currency} ."),
    };

    public static string HeldOutElement(Element e, int variant) => (variant % 2) switch
    {
        0 => N($"{e.Symbol} is the symbol of {e.Name} , an element with atomic number {e.Number} ."),
        _ => N($"element {e.Number} is {e.Name} and its symbol is {e.Symbol} ."),
    };

    private static string N(string text) => WorldText.Normalize(text);
}
