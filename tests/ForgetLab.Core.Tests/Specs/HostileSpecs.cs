using System.Text;
using CsCheck;

namespace ForgetLab.Core.Tests.Specs;

/// <summary>
/// Generators of hostile spec texts, as an attacker with a tenant key would send them: deep
/// nesting, huge values, alias bombs, random bytes, wrong types and unknown fields. Every text
/// from <see cref="Invalid"/> is invalid by construction (it crosses a limit, breaks the grammar or
/// breaks a field rule), so a server that answers anything but 400 to one of them is wrong.
/// Shared by the loader's unit fuzz and the server's fuzz over HTTP (linked there).
/// </summary>
public static class HostileSpecs
{
    /// <summary>A valid spec, one field per line; the generators break it in one place.</summary>
    public const string Valid = """
        name: fuzz
        base:
          world: builtin
          model: { n_layer: 2, n_head: 2, n_embd: 32, n_ctx: 32, dropout: 0.0 }
          pretrain: { steps: 10, lr: 1.0e-3, warmup_steps: 2 }
        target:
          task: conflicting_facts
          count: 5
        suites: [target, capitals_recall]
        train:
          steps: 20
          lr: 1.0e-4
          warmup_steps: 2
          checkpoint_every: 10
        grid:
          method: [full, lora]
          lr: [1.0e-4, 3.0e-4]
        eval:
          max_items: 10
          batch_size: 8

        """;

    /// <summary>
    /// The scalar fields of <see cref="Valid"/> that a generator may give a wrong value ("key: value"
    /// on its own line). Not <c>name</c>: "1e400" is a fine experiment name.
    /// </summary>
    private static readonly string[] ScalarLines =
    [
        "  world: builtin", "  task: conflicting_facts", "  count: 5", "  steps: 20", "  lr: 1.0e-4",
        "  warmup_steps: 2", "  checkpoint_every: 10", "  max_items: 10", "  batch_size: 8",
    ];

    /// <summary>Values no field of the spec accepts where a scalar of its own kind is expected.</summary>
    private static readonly Gen<string> WrongValue = Gen.OneOf(
        Gen.Const("[1, 2, 3]"), Gen.Const("{ a: 1 }"), Gen.Const("-2147483649"), Gen.Const("99999999999999999999999"),
        Gen.Const("1e400"), Gen.Const(".nan"), Gen.Const("-.inf"), Gen.Const("~"), Gen.Const("!!binary AAAA"),
        Gen.Const("'Ünïcödé ✓'"), Gen.Const("\"\\u0000\""), Gen.Const("-1"), Gen.Const("0x7fffffff"), Gen.Const("[[[]]]"));

    /// <summary>Deep nesting, flow or block, up to 20,000 levels: beyond <c>SpecLimits.MaxDepth</c> always.</summary>
    public static readonly Gen<string> DeepNesting =
        Gen.Select(Gen.Int[40, 20_000], Gen.Int[0, 4], (depth, style) => style switch
        {
            0 => "name: " + new string('[', depth) + new string(']', depth),
            1 => "name: " + string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth),
            2 => string.Concat(Enumerable.Range(0, Math.Min(depth, 700)).Select(i => new string(' ', i) + "a:\n")) + "  x\n",
            3 => string.Concat(Enumerable.Repeat("- ", depth)) + "x\n",
            _ => "name: " + new string('[', depth), // unterminated as well
        });

    /// <summary>One value longer than <c>SpecLimits.MaxScalarChars</c>, or a whole text longer than <c>SpecLimits.MaxChars</c>.</summary>
    public static readonly Gen<string> HugeScalars =
        Gen.Select(Gen.Int[9_000, 120_000], Gen.Int[0, 2], (length, style) => style switch
        {
            0 => Valid.Replace("name: fuzz", "name: " + new string('n', length), StringComparison.Ordinal),
            1 => Valid.Replace("name: fuzz", "name: fuzz\ndescription: \"" + new string('d', length) + "\"", StringComparison.Ordinal),
            _ => Valid + "# " + new string('#', 270_000) + "\n",
        });

    /// <summary>"Billion laughs": each level an anchored list of aliases to the one before; the expansion is fan-out^levels.</summary>
    public static readonly Gen<string> AliasBombs =
        Gen.Select(Gen.Int[4, 12], Gen.Int[4, 10], (levels, fanOut) =>
        {
            var text = new StringBuilder("a0: &a0 [lol]\n");
            for (var level = 1; level <= levels; level++)
                text.Append($"a{level}: &a{level} [").AppendJoin(", ", Enumerable.Repeat($"*a{level - 1}", fanOut)).Append("]\n");
            return text.Append($"name: *a{levels}\n").ToString();
        });

    /// <summary>Random bytes, decoded as UTF-8 the way a server would (invalid sequences become U+FFFD).</summary>
    public static readonly Gen<byte[]> RandomBytes = Gen.Byte.Array[1, 4_000];

    /// <summary>Runs of YAML indicators and spaces, like "- - - : : :".</summary>
    public static readonly Gen<string> IndicatorNoise =
        Gen.OneOf("- ", ": ", "? ", "[", "]", "{", "}", ",", "&a ", "*a ", "! ", "!!str ", "|", ">", "'", "\"", "%YAML 1.2\n", "---\n", "...\n", "\n", "  ", "#", "@", "`", "\t", "\0", "\uFFFE", "\uD800")
            .Array[1, 60].Select(parts => string.Concat(parts));

    /// <summary>The valid spec with one scalar field given a value of the wrong type or out of range.</summary>
    public static readonly Gen<string> WrongTypes =
        Gen.Select(Gen.OneOf(ScalarLines), WrongValue, (line, value) =>
            Valid.Replace(line + "\n", line[..(line.IndexOf(':') + 1)] + " " + value + "\n", StringComparison.Ordinal));

    /// <summary>The valid spec with an unknown field added at the top or inside a mapping.</summary>
    public static readonly Gen<string> UnknownFields =
        Gen.Select(Gen.String[Gen.Char['a', 'z'], 1, 40], Gen.OneOf("", "base:\n", "target:\n", "train:\n", "eval:\n"), (name, under) =>
        {
            var field = "zz" + name; // no spec field starts with "zz"
            return under.Length == 0
                ? Valid + field + ": 1\n"
                : Valid.Replace(under, under + "  " + field + ": 1\n", StringComparison.Ordinal);
        });

    /// <summary>Every kind of invalid text, as strings.</summary>
    public static readonly Gen<string> Invalid = Gen.OneOf(
        DeepNesting, HugeScalars, AliasBombs, IndicatorNoise, WrongTypes, UnknownFields,
        RandomBytes.Select(bytes => Encoding.UTF8.GetString(bytes)));

    /// <summary>
    /// The valid spec with random characters inserted, deleted or replaced, YAML's indicators
    /// most often. Some results are still valid specs; the loader must answer either way.
    /// </summary>
    public static readonly Gen<string> Mutations =
        Gen.Select(Gen.Int[0, Valid.Length - 1], Gen.Int[0, 2], Gen.OneOf('-', ':', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '#', '?', ' ', '\n', '\t', 'x', '9', '\0'), (at, kind, c) => (At: at, Kind: kind, Char: c))
            .Array[1, 8]
            .Select(edits =>
            {
                var text = new StringBuilder(Valid);
                foreach (var (at, kind, c) in edits)
                {
                    var i = Math.Min(at, text.Length - 1);
                    if (kind == 0) text.Insert(i, c);
                    else if (kind == 1) text.Remove(i, 1);
                    else text[i] = c;
                }

                return text.ToString();
            });
}
