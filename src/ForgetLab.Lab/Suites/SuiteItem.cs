namespace ForgetLab.Lab.Suites;

/// <summary>
/// One evaluation item. Texts are joined to the prompt with a single space.
/// <list type="bullet">
/// <item><c>multiple_choice</c>: <see cref="Choices"/> are the continuations, <see cref="Gold"/> the right one's index, <see cref="Target"/> its text.</item>
/// <item><c>generate_until</c>: <see cref="Target"/> is the expected answer words (no trailing "."), <see cref="Choices"/> empty, <see cref="Gold"/> -1.</item>
/// <item><c>loglikelihood_rolling</c>: <see cref="Target"/> is the text scored, <see cref="Prompt"/> empty.</item>
/// <item><c>kl_to_base</c>: <see cref="Prompt"/> is the text the two models are compared on, <see cref="Target"/> empty.</item>
/// </list>
/// </summary>
public sealed record SuiteItem(string Id, string Prompt, IReadOnlyList<string> Choices, int Gold, string Target)
{
    public static SuiteItem MultipleChoice(string id, string prompt, IReadOnlyList<string> choices, int gold) =>
        new(id, prompt, choices, gold, choices[gold]);

    public static SuiteItem Generate(string id, string prompt, string target) => new(id, prompt, [], -1, target);

    /// <summary>A <see cref="SuiteKinds.Loglikelihood"/> item: is <paramref name="continuation"/> greedy after <paramref name="context"/>?</summary>
    public static SuiteItem Continuation(string id, string context, string continuation) => new(id, context, [], -1, continuation);

    public static SuiteItem Rolling(string id, string text) => new(id, "", [], -1, text);

    public static SuiteItem KlPrompt(string id, string text) => new(id, text, [], -1, "");
}
