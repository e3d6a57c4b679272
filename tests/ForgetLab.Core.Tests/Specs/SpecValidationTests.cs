using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

public class SpecValidationTests
{
    [Fact]
    public void TheSmallSpecUsedByTheseTestsIsValid()
    {
        var spec = SpecText.Parse(SpecText.Valid);

        Assert.Equal(4, GridExpansion.Count(spec));
    }

    [Fact]
    public void ARankOfZeroIsReportedWithFileLineAndPath()
    {
        var yaml = string.Join('\n',
            "name: x",                    // 1
            "base:",                      // 2
            "  world: builtin",           // 3
            "target:",                    // 4
            "  task: format",             // 5
            "suites: [target]",           // 6
            "train:",                     // 7
            "  steps: 100",               // 8
            "grid:",                      // 9
            "  method:",                  // 10
            "    - type: full",           // 11
            "    - type: lora",           // 12
            "      alpha: 16",            // 13
            "      rank: 0",              // 14
            "");

        var e = Assert.Throws<SpecValidationException>(() => SpecLoader.Parse(yaml, "examples/x.yaml", null));

        Assert.Equal("examples/x.yaml:14 grid.method[1].rank: must be between 1 and 1024", e.Message);
        Assert.Equal(new SpecError("examples/x.yaml", 14, "grid.method[1].rank", "must be between 1 and 1024"), Assert.Single(e.Errors));
    }

    public static TheoryData<string, string, string> BadSpecs => new()
    {
        // Unknown fields, with a suggestion when one is near.
        { "      rank: 4", "      rnak: 4",
            "spec.yaml:29 grid.method[1].rnak: unknown field 'rnak', did you mean 'rank'? (expected one of: type, name, lr, rank, alpha, dropout, target_modules, use_rslora)" },
        { "seed: 1\n", "colour: 1\n",
            "spec.yaml:2 colour: unknown field 'colour' (expected one of: name, description, seed, base, target, suites, train, grid, variants, eval, resources, evaluate, search)" },
        { "{ type: full }", "{ type: full, rank: 4 }",
            "spec.yaml:27 grid.method[0].rank: applies only to type 'lora'" },
        // Wrong types.
        { "  lr: 1.0e-4\n", "  lr: abc\n", "spec.yaml:21 train.lr: expected a number, got 'abc'" },
        { "  steps: 20", "  steps: 2.5", "spec.yaml:20 train.steps: expected an integer, got '2.5'" },
        { "lr: [1.0e-4, 3.0e-4]", "lr: 1.0e-4", "spec.yaml:31 grid.lr: expected a list, got '1.0e-4'" },
        { "eval:\n  max_items: 10\n  batch_size: 8", "eval: fast", "spec.yaml:34 eval: expected a mapping, got 'fast'" },
        { "  count: 5", "  count:", "spec.yaml:17 target.count: expected an integer, got nothing" },
        // Out-of-range values.
        { "  lr: 1.0e-4\n", "  lr: 0\n", "spec.yaml:21 train.lr: must be greater than 0 and at most 1" },
        { "lr: [1.0e-4, 3.0e-4]", "lr: [1.0e-4, 3]", "spec.yaml:31 grid.lr[1]: must be greater than 0 and at most 1" },
        { "      rank: 4", "      rank: 2000", "spec.yaml:29 grid.method[1].rank: must be between 1 and 1024" },
        { "      alpha: 8", "      alpha: 0", "spec.yaml:30 grid.method[1].alpha: must be greater than 0" },
        { "    dropout: 0.0", "    dropout: 1", "spec.yaml:10 base.model.dropout: must be at least 0 and less than 1" },
        { "  steps: 20", "  steps: 2000000", "spec.yaml:20 train.steps: must be between 1 and 1000000" },
        { "  batch_size: 8", "  batch_size: 5000", "spec.yaml:36 eval.batch_size: must be between 1 and 4096" },
        { "    n_head: 2", "    n_head: 3", "spec.yaml:8 base.model.n_embd: must be divisible by n_head (3)" },
        { "    n_ctx: 32", "    n_ctx: 4", "spec.yaml:9 base.model.n_ctx: must be between 8 and 4096" },
        { "  warmup_steps: 2\n  schedule", "  warmup_steps: 50\n  schedule", "spec.yaml:22 train.warmup_steps: must not exceed steps (20)" },
        { "steps: [20]", "steps: [20, 1]", "spec.yaml:32 grid.steps[1]: must be at least train.warmup_steps (2)" },
        { "  checkpoint_every: 10", "  checkpoint_every: 0", "spec.yaml:24 train.checkpoint_every: must be between 1 and 1000000" },
        { "seed: 1\n", "seed: -1\n", "spec.yaml:2 seed: must be between 0 and 2147483647" },
        { "seed: [1]", $"seed: [{string.Join(", ", Enumerable.Range(0, 300))}]", "spec.yaml:25 grid: expands to 1200 runs; at most 1000 are allowed" },
        { "name: t", "name: My Lab", "spec.yaml:1 name: must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit" },
        // Missing required fields.
        { "name: t\n", "", "spec.yaml:1 name: required field is missing" },
        { "  task: conflicting_facts\n", "", "spec.yaml:16 target.task: required field is missing (or give 'data' to a JSONL file of your own)" },
        { "    - { type: full }", "    - { lr: 1.0e-4 }", "spec.yaml:27 grid.method[0].type: required field is missing" },
        // Unknown enum values.
        { "task: conflicting_facts", "task: conflicting", "spec.yaml:16 target.task: unknown value 'conflicting' (expected one of: format, conflicting_facts, new_entities)" },
        { "schedule: cosine", "schedule: cosin", "spec.yaml:23 train.schedule: unknown value 'cosin', did you mean 'cosine'? (expected one of: cosine, constant, linear)" },
        { "{ type: full }", "{ type: qlora }", "spec.yaml:27 grid.method[0].type: unknown value 'qlora', did you mean 'lora'? (expected one of: full, lora, adapter, prefix, bitfit, freeze, ia3)" },
        { "world: builtin", "world: mars", "spec.yaml:4 base.world: unknown value 'mars' (expected one of: builtin)" },
        // Suites: missing files, unknown names, duplicates.
        { "[target, capitals_recall]", "[target, suites/missing.yaml]", "spec.yaml:18 suites[1]: suite file 'suites/missing.yaml' not found" },
        { "[target, capitals_recall]", "[target, capitals_recal]",
            "spec.yaml:18 suites[1]: unknown suite 'capitals_recal', did you mean 'capitals_recall'? (expected a built-in suite: target, overwritten, capitals_recall, capitals_mc, continents_mc, currencies_mc, languages_mc, element_symbols, element_numbers, arithmetic, copying, text_perplexity, kl_to_base; or a path to a suite .yaml file)" },
        { "[target, capitals_recall]", "[target, capitals_recall, target]", "spec.yaml:18 suites[2]: duplicate suite 'target'" },
        // Empty lists and repeated grid values.
        { "suites: [target, capitals_recall]", "suites: []", "spec.yaml:18 suites: must not be empty" },
        { "seed: [1]", "seed: []", "spec.yaml:33 grid.seed: must not be empty" },
        { "lr: [1.0e-4, 3.0e-4]", "lr: [1.0e-4, 1.0e-4]", "spec.yaml:31 grid.lr[1]: same value as grid.lr[0]" },
        { "      alpha: 8\n", "      alpha: 8\n    - { type: lora, rank: 4, alpha: 16 }\n",
            "spec.yaml:31 grid.method[2]: gives the same run name as grid.method[1] ('lora-r4-lr1e-4-steps20-seed1'); give one of them a distinct 'name'" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void ABadSpecIsRejectedWithItsLinePathAndReason(string find, string replace, string expected) =>
        Assert.Equal([expected], SpecText.Errors(SpecText.With(find, replace)));

    [Fact]
    public void EveryErrorIsReportedTogetherInFileOrder()
    {
        var yaml = SpecText.With("  count: 5", "  count: 0")
            .Replace("    n_ctx: 32", "    n_ctx: big")
            .Replace("      rank: 4", "      rank: 0")
            .Replace("  batch_size: 8", "  batch_sise: 8");

        var e = Assert.Throws<SpecValidationException>(() => SpecText.Parse(yaml));

        string[] expected =
        [
            "spec.yaml:9 base.model.n_ctx: expected an integer, got 'big'",
            "spec.yaml:17 target.count: must be between 1 and 100000",
            "spec.yaml:29 grid.method[1].rank: must be between 1 and 1024",
            "spec.yaml:36 eval.batch_sise: unknown field 'batch_sise', did you mean 'batch_size'? (expected one of: max_items, batch_size, bootstrap_resamples, base_gate)",
        ];
        Assert.Equal(expected, e.Errors.Select(x => x.ToString()));
        Assert.Equal(string.Join('\n', expected), e.Message);
    }

    [Theory]
    [InlineData("  count: 5", "  count: 5: 6", 17)]
    [InlineData("    n_head: 2", "   n_head: 2", 7)]
    [InlineData("  count: 5", "  count: [5", 17)]
    public void MalformedYamlIsReportedAtTheParsersLine(string find, string replace, int line)
    {
        var error = Assert.Single(SpecText.Errors(SpecText.With(find, replace)));

        Assert.StartsWith($"spec.yaml:{line} (document): malformed YAML", error);
    }

    [Fact]
    public void AnEmptySpecIsRejected() =>
        Assert.Equal(["spec.yaml:1 (document): the spec is empty"], SpecText.Errors("# nothing here\n"));

    [Fact]
    public void ADocumentThatIsNotAMappingIsRejected() =>
        Assert.Equal(["spec.yaml:1 (document): expected a mapping, got a list"], SpecText.Errors("- a\n- b\n"));

    [Fact]
    public void ARepeatedFieldIsRejectedAtItsSecondOccurrence()
    {
        var error = Assert.Single(SpecText.Errors(SpecText.With("  count: 5\n", "  count: 5\n  count: 6\n")));

        Assert.StartsWith("spec.yaml:18 (document): malformed YAML", error);
        Assert.Contains("count", error);
    }

    [Fact]
    public void ASecondYamlDocumentIsRejected() =>
        Assert.Equal(
            ["spec.yaml:38 (document): expected one YAML document, found 2"],
            SpecText.Errors(SpecText.Valid + "---\nname: y\n"));

    [Fact]
    public void AMethodCanBeWrittenAsJustItsType()
    {
        var spec = SpecText.Parse(SpecText.With("    - { type: full }", "    - full\n    - lora"));

        Assert.Equal(["full", "lora", "lora"], spec.Grid.Methods.Select(m => m.Type));
        Assert.Equal(new LoraSpec().Rank, ((LoraSpec)spec.Grid.Methods[1]).Rank);
    }
}
