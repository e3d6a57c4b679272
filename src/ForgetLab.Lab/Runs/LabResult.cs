using ForgetLab.Core.Reports;

namespace ForgetLab.Lab.Runs;

/// <summary>What <see cref="LabRunner"/> produced: the report, where its files are, and what the base cost.</summary>
public sealed record LabResult(ForgettingReport Report, string OutDirectory, string BaseFolder, PretrainSummary Pretrain);
