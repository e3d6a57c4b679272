using System.Text.Json;
using ForgetLab.Lab.Suites.LmEval;

namespace ForgetLab.Lab.Tests.Suites;

/// <summary>
/// lm-eval's exact_match (Hugging Face evaluate's): regexes removed first, then numpy's np.char.lower (Python's str.lower,
/// cut to the array's fixed width), then string.punctuation and string.digits deleted, then compared — on the arrays
/// lm-eval passes it. Checked against fixed answers from numpy 1.24 and, where the reference's packages are installed,
/// against tests/reference/lm-eval's exact_match_hf_evaluate on the same rows.
/// </summary>
public sealed class ExactMatchTests
{
    // (prediction, references, regexes, ignore_case, ignore_punctuation, ignore_numbers, numpy's score)
    public static TheoryData<string, string[], string[], bool, bool, bool, double> Rows() => new()
    {
        { "Hello, World!", ["hello world"], [], true, true, false, 1.0 },
        { "Hello, World!", ["hello world"], [], false, true, false, 0.0 },
        { "Hello, World!", ["hello world"], [], true, false, false, 0.0 },
        // Only ASCII punctuation goes: « » and the Spanish ¡ ¿ stay.
        { "«Olá», ¡sí!", ["olá sí"], [], true, true, false, 0.0 },
        { "¿Qué?", ["¿qué"], [], true, true, false, 1.0 },
        // Python's lower is a full mapping: 'İ' becomes "i̇", and numpy keeps the 8 code points the array had.
        { "İstanbul", ["i̇stanbu"], [], true, false, false, 1.0 },
        { "İstanbul", ["istanbul"], [], true, false, false, 0.0 },
        // A final capital sigma lower-cases to 'ς', as in Python.
        { "ΟΔΟΣ", ["οδος"], [], true, false, false, 1.0 },
        { "ΟΔΟΣ", ["οδοσ"], [], true, false, false, 0.0 },
        { "Straße", ["STRASSE"], [], true, false, false, 0.0 },
        // Regexes go before case (so "^the" misses "The") and punctuation; digits last.
        { "The answer is: 42.", ["42"], ["^the answer is: "], true, true, false, 0.0 },
        { "The answer is: 42.", ["42"], ["^The answer is: "], false, true, false, 1.0 },
        { "v1.2-beta", ["vbeta"], [], false, true, true, 1.0 },
        // Several references: the prediction is repeated beside each; each array has its own width, so the predictions'
        // (2 code points) cut "i̇x" to "i̇" while the references' (6) keep it.
        { "İx", ["i̇x", "abcdef"], [], true, false, false, 0.0 },
        { "İx", ["abc", "i̇"], [], true, false, false, 0.5 },
        // numpy drops trailing NULs.
        { "a\0", ["a"], [], false, false, false, 1.0 },
        { "Ünïcödé café", ["ÜNÏCÖDÉ CAFÉ"], [], true, false, false, 1.0 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void ExactMatchScoresAsHuggingFaceEvaluateOnNumpyArrays(string prediction, string[] references, string[] regexes, bool ignoreCase, bool ignorePunctuation, bool ignoreNumbers, double expected)
    {
        var options = new ExactMatchOptions(regexes, ignoreCase, ignorePunctuation, ignoreNumbers);

        Assert.Equal(expected, options.Score(references.Select(_ => prediction).ToList(), references));
    }

    [Fact]
    public void EveryRowAgreesWithTheReferencesExactMatchOnNumpy()
    {
        var rows = Rows().Select(r => ((ITheoryDataRow)r).GetData()).ToList();
        var input = JsonSerializer.Serialize(rows.Select(r => new { p = (string)r[0]!, r = (string[])r[1]!, x = (string[])r[2]!, c = (bool)r[3]!, u = (bool)r[4]!, n = (bool)r[5]! }));
        var reference = Path.Combine(LmEvalReference.Fixtures, "..", "..", "..", "..", "reference", "lm-eval");
        var output = LmEvalReference.Eval($$"""
            import json, sys
            sys.path.insert(0, {{JsonSerializer.Serialize(Path.GetFullPath(reference))}})
            from lm_eval_reference import exact_match_hf_evaluate
            rows = json.loads({{JsonSerializer.Serialize(input)}})
            print(json.dumps([float(exact_match_hf_evaluate(predictions=[row["p"]] * len(row["r"]), references=row["r"], regexes_to_ignore=row["x"] or None,
                ignore_case=row["c"], ignore_punctuation=row["u"], ignore_numbers=row["n"])["exact_match"]) for row in rows]))
            """);
        var expected = JsonSerializer.Deserialize<double[]>(output)!;

        Assert.Equal(rows.Count, expected.Length);
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var options = new ExactMatchOptions((string[])r[2]!, (bool)r[3]!, (bool)r[4]!, (bool)r[5]!);
            var references = (string[])r[1]!;
            Assert.True(expected[i] == options.Score(references.Select(_ => (string)r[0]!).ToList(), references), $"row {i} ({r[0]}): numpy says {expected[i]}");
            Assert.Equal(expected[i], (double)r[6]!); // the fixed answer above is numpy's too
        }
    }
}
