namespace ForgetLab.Core.Specs;

/// <summary>
/// How many examples of a data file are held out (<c>target.eval_split</c>): a fraction in (0, 1), rounded up as
/// Hugging Face datasets' <c>train_test_split(test_size=…)</c> rounds, or a whole count of at least 1.
/// </summary>
public sealed record EvalSplit(double? Fraction, int? Count)
{
    /// <summary>Held-out examples of <paramref name="examples"/>.</summary>
    public int HeldOut(int examples) => Count ?? (int)Math.Ceiling(Fraction!.Value * examples);

    public override string ToString() => Count is { } c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : GridExpansion.FormatNumber(Fraction!.Value);
}
