using System.Globalization;

namespace ForgetLab.Lab.World;

/// <summary>
/// The generated skills: digit-by-digit addition and in-context copying/reversing of word lists.
/// Which sums and sequences are held out for evaluation is a property of the item itself (a
/// stable hash), not of a seed, so no pre-training seed can ever leak an evaluation item.
/// </summary>
internal static class Skills
{
    /// <summary>Simple words the copy and reverse tasks shuffle; none is a fact of the world.</summary>
    public static readonly IReadOnlyList<string> Words =
    [
        "red", "blue", "green", "yellow", "black", "white", "orange", "purple", "pink", "brown",
        "cat", "dog", "bird", "fish", "horse", "cow", "sheep", "lion", "tiger", "bear", "wolf", "fox",
        "tree", "stone", "river", "cloud", "sun", "moon", "star", "book", "cup", "door", "key", "ship",
    ];

    public static bool IsHeldOutSum(int a, int b) => StableHash.Of($"sum:{Math.Min(a, b)}+{Math.Max(a, b)}") % 8 == 0;

    public static bool IsHeldOutSequence(IReadOnlyList<string> words) => StableHash.Of("seq:" + string.Join(' ', words)) % 8 == 0;

    /// <summary>Two addends of 2 or 3 digits each.</summary>
    public static (int A, int B) NextAddends(WorldRandom random) => (Addend(random), Addend(random));

    public static string SumLine(int a, int b) => Phrasings.Line(Phrasings.Sum(a, b), Digits(a + b));

    public static string Digits(int n) => n.ToString(CultureInfo.InvariantCulture);

    public static string[] NextSequence(WorldRandom random, int minLength, int maxLength)
    {
        var length = random.Next(minLength, maxLength + 1);
        var words = new string[length];
        for (var i = 0; i < length; i++)
        {
            words[i] = random.Pick(Words);
        }

        return words;
    }

    private static int Addend(WorldRandom random) => random.Next(2) == 0 ? random.Next(10, 100) : random.Next(100, 1000);
}
