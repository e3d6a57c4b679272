using ForgetLab.Lab.Baselines;

namespace ForgetLab.Lab.Jobs;

/// <summary>
/// The job side of <see cref="IBaselineExchange"/> over the child-process protocol: a
/// <c>baseline_lookup</c> event, answered by the worker with one line on stdin (a folder, or an
/// empty line), then a <c>baseline_ready</c> event per suite.
/// </summary>
public sealed class JobBaselineExchange(Action<JobEvent> emit, TextReader answers) : IBaselineExchange
{
    public string? Lookup(BaselineRequest request)
    {
        emit(new JobEvent
        {
            Event = JobEvent.Kinds.BaselineLookup, ModelHash = request.ModelHash, Shared = request.Shared, Folder = Path.GetFullPath(request.BaseFolder),
            BaselineSuites = request.Suites.Select(s => new JobBaselineSuite(s.Suite, s.Version, s.Definition)).ToList(),
        });
        var folder = answers.ReadLine()?.Trim();
        return string.IsNullOrEmpty(folder) ? null : folder;
    }

    public void Ready(BaselineRequest request, BaselineSuiteKey suite, string source, string file) =>
        emit(new JobEvent
        {
            Event = JobEvent.Kinds.BaselineReady, ModelHash = request.ModelHash, Shared = request.Shared,
            BaselineSuites = [new JobBaselineSuite(suite.Suite, suite.Version, suite.Definition)], Source = source, Folder = Path.GetFullPath(file),
        });
}
