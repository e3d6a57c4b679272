namespace ForgetLab.Core.Specs;

/// <summary>
/// The model that is fine-tuned: either pre-trained here on a built-in <see cref="World"/> (with
/// <see cref="Model"/> and <see cref="Pretrain"/>, cached by <see cref="SpecHash"/>), or loaded
/// from a Hugging Face-layout folder at <see cref="Path"/>, or a model of the tenant's registry on
/// the platform (<see cref="ModelRef"/>). Exactly one of the three is set.
/// </summary>
public sealed record BaseModelSpec
{
    public const string BuiltinWorld = "builtin";

    /// <summary>Worlds the lab can generate ("builtin": real countries and chemical elements).</summary>
    public static IReadOnlyList<string> KnownWorlds { get; } = [BuiltinWorld];

    /// <summary>The world to pre-train on. Default "builtin"; null when <see cref="Path"/> is set.</summary>
    public string? World { get; init; } = BuiltinWorld;

    /// <summary>Full path of a folder with config.json (and weights, tokenizer); null for a world base.</summary>
    public string? Path { get; init; }

    /// <summary>
    /// Name of a model in the submitting tenant's registry (<c>/api/v1/models</c>): the platform
    /// checks it exists and its worker downloads it for the job. Null for a world or folder base.
    /// </summary>
    public string? ModelRef { get; init; }

    /// <summary>Architecture a world base is pre-trained in (<c>base.architecture</c>). Default gpt2.</summary>
    public BaseArchitecture Architecture { get; init; } = BaseArchitecture.Gpt2;

    /// <summary>Tokenizer a world base is pre-trained with (<c>base.tokenizer</c>). Default the world's words.</summary>
    public TokenizerSpec Tokenizer { get; init; } = new();

    /// <summary>Size of a world base (<c>base.model</c>, GPT-2's names; mapped onto Llama's config for <see cref="BaseArchitecture.Llama"/>); ignored for a <see cref="Path"/> base (config.json rules).</summary>
    public ModelConfigSpec Model { get; init; } = new();

    /// <summary>Pre-training of a world base; ignored for a <see cref="Path"/> base.</summary>
    public PretrainSpec Pretrain { get; init; } = new();

    /// <summary>True when the base is pre-trained here (and so cached by spec hash).</summary>
    public bool IsPretrained => Path is null && ModelRef is null;
}
