using ForgetLab.Core.Reports;

namespace ForgetLab.Lab.Runs;

/// <summary>What <see cref="LabRunner"/> produced: the report, where its files are, and what the base cost.</summary>
public sealed record LabResult(ForgettingReport Report, string OutDirectory, string BaseFolder, PretrainSummary Pretrain)
{
    /// <summary>
    /// Suites scored by this run, the base's baseline and every checkpoint's together (one per model and suite); the rest were read
    /// from the baseline files or the result cache (<see cref="SuitesFromCache"/>). A rerun of the same spec on the same cache scores 0.
    /// </summary>
    public int SuitesScored { get; init; }

    /// <summary>Suites (per model) read from the base's baseline files or the result cache instead of scored.</summary>
    public int SuitesFromCache { get; init; }
}
