using ForgetLab.Contracts.Experiments;

namespace ForgetLab.Server.Application;

/// <summary>An accepted submission: the experiment, and whether this call created it (false: the same spec again).</summary>
public sealed record SubmittedExperiment(ExperimentView Experiment, bool Created);
