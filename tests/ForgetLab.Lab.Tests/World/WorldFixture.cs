using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tests.World;

/// <summary>One loaded world and its tokenizer, shared by the world tests (building them takes a moment).</summary>
public sealed class WorldFixture
{
    public BuiltInWorld World { get; } = BuiltInWorld.Load();

    public WordTokenizer Tokenizer => _tokenizer.Value;

    private readonly Lazy<WordTokenizer> _tokenizer;

    public WorldFixture() => _tokenizer = new Lazy<WordTokenizer>(() => World.BuildTokenizer());
}
