using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tests.World;

public sealed class WorldTextTests
{
    [Theory]
    [InlineData("The capital of France is Paris.", "the capital of france is paris .")]
    [InlineData("The atomic number of Iron is 26.", "the atomic number of iron is 2 6 .")]
    [InlineData("123 + 45 = 168", "1 2 3 + 4 5 = 1 6 8")]
    [InlineData("Bogotá", "bogotá")]
    [InlineData("Côte d'Ivoire", "côte d ' ivoire")]
    [InlineData("Côte d’Ivoire", "côte d ' ivoire")]
    [InlineData("Guinea-Bissau", "guinea - bissau")]
    [InlineData("  Port-au-Prince,\tHaiti  ", "port - au - prince , haiti")]
    [InlineData("ÅLAND Chișinău", "åland chișinău")]
    public void WordsAreLowerCaseWithPunctuationAndDigitsAsTheirOwnTokens(string text, string expected)
    {
        Assert.Equal(expected, WorldText.Normalize(text));
    }

    [Fact]
    public void NormalisingTwiceChangesNothing()
    {
        const string text = "Q: What is the capital of Côte d'Ivoire? A: Yamoussoukro (1983).";

        var once = WorldText.Normalize(text);

        Assert.Equal(once, WorldText.Normalize(once));
    }

    [Theory]
    [InlineData("Peru", "peru")]
    [InlineData("Guinea-Bissau", "guinea_bissau")]
    [InlineData("Antigua and Barbuda", "antigua_and_barbuda")]
    public void SlugsAreReadableIds(string name, string slug)
    {
        Assert.Equal(slug, WorldText.Slug(name));
    }
}
