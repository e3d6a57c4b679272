using System.Text;
using ForgetLab.Core.Tokenizers.Normalization;

namespace ForgetLab.Core.Tests.Tokenizers;

/// <summary>
/// NFC/NFD/NFKC/NFKD from the carried Unicode data (invariant globalization leaves string.Normalize inert), on the
/// cases that decide ids: composition, canonical reordering, Hangul, singletons, compatibility forms.
/// </summary>
public class UnicodeNormalizationTests
{
    [Theory]
    [InlineData("e\u0301", "\u00e9")]
    [InlineData("A\u030a", "\u00c5")]
    [InlineData("\u212b", "\u00c5")] // ANGSTROM SIGN, a singleton
    [InlineData("a\u0323\u0302", "\u1ead")] // dot below before circumflex
    [InlineData("a\u0302\u0323", "\u1ead")] // the other order reorders canonically first
    [InlineData("\u1100\u1161\u11a8", "\uac01")] // Hangul jamo compose to 각
    [InlineData("\u0915\u093c", "\u0915\u093c")] // a composition exclusion stays decomposed
    [InlineData("plain ascii", "plain ascii")]
    public void NfcComposesAsUnicodeSays(string input, string expected) =>
        Assert.Equal(expected, UnicodeNormalization.Normalize(input, NormalizationForm.FormC));

    [Fact]
    public void NfdDecomposesFullyAndHangulAlgorithmically()
    {
        Assert.Equal("e\u0301", UnicodeNormalization.Normalize("\u00e9", NormalizationForm.FormD));
        Assert.Equal("a\u0323\u0302", UnicodeNormalization.Normalize("\u1ead", NormalizationForm.FormD));
        Assert.Equal("\u1100\u1161\u11a8", UnicodeNormalization.Normalize("\uac01", NormalizationForm.FormD));
    }

    [Theory]
    [InlineData("\ufb01", "fi")]
    [InlineData("\u2460", "1")]
    [InlineData("\u00bd", "1\u20442")]
    [InlineData("\uff21", "A")]
    [InlineData("\u1e9b\u0323", "\u1e69")] // long s with dot above and dot below
    public void NfkcAppliesCompatibilityMappingsThenComposes(string input, string expected) =>
        Assert.Equal(expected, UnicodeNormalization.Normalize(input, NormalizationForm.FormKC));

    [Fact]
    public void ALongRunOfMarksIsOrderedStablyByCombiningClass()
    {
        // Acute (230) and dot below (220) alternating: all the 220s move before the 230s, each keeping its order.
        var marks = string.Concat(Enumerable.Repeat("\u0301\u0323", 50_000));

        var nfd = UnicodeNormalization.Normalize("a" + marks, NormalizationForm.FormD);

        Assert.Equal("a" + new string('\u0323', 50_000) + new string('\u0301', 50_000), nfd);
    }

    [Fact]
    public void TextOutsideTheBmpSurvives() =>
        Assert.Equal("\U0001F642\U00020000", UnicodeNormalization.Normalize("\U0001F642\U00020000", NormalizationForm.FormC));
}
