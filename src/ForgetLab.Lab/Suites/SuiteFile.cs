namespace ForgetLab.Lab.Suites;

/// <summary>The YAML header of a suite on disk, lm-evaluation-harness style; items live in the JSONL file it names.</summary>
internal sealed class SuiteFile
{
    public string? Task { get; set; }

    public string? Version { get; set; }

    public string? Category { get; set; }

    public string? OutputType { get; set; }

    public string? Metric { get; set; }

    public bool? HigherIsBetter { get; set; }

    public string? DatasetPath { get; set; }

    public List<string>? Until { get; set; }
}

/// <summary>One JSONL line of a suite's items.</summary>
internal sealed class SuiteItemLine
{
    public string? Id { get; set; }

    public string? Prompt { get; set; }

    public List<string>? Choices { get; set; }

    public int? Gold { get; set; }

    public string? Target { get; set; }
}
