using ForgetLab.Core.Specs;

namespace ForgetLab.Grains.Hosting;

/// <summary>Whether, and from where, tenants' specs may name files (suite files, model folders) on the platform.</summary>
public sealed class ExperimentOptions
{
    /// <summary>
    /// The operator's spec directory (<c>ForgetLab:Experiments:SpecBaseDirectory</c>): specs name files
    /// relative to it and cannot leave it. Null: specs name no files at all (a 400 at the field).
    /// </summary>
    public string? SpecBaseDirectory { get; set; }

    /// <summary>
    /// The pause between two batches of a large grid's runs (<c>ForgetLab:Experiments:RunBatchInterval</c>): the experiment grain
    /// creates and queues <see cref="Experiments.ExperimentGrain.RunBatch"/> runs per timer tick and answers other calls in
    /// between. Short by default, so a 1,000-run grid is queued within seconds; a test sets it long to hold scheduling after the
    /// first batch.
    /// </summary>
    public TimeSpan RunBatchInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The rule every platform reading of a tenant's spec applies (API, dashboard, experiment grain).</summary>
    public SpecFiles SpecFiles => SpecFiles.ForPlatform(SpecBaseDirectory);
}
