using ForgetLab.Core.Baselines;
using ForgetLab.Core.Jobs;
using ForgetLab.Lab.Baselines;

namespace ForgetLab.Lab.Jobs;

/// <summary>
/// The job side of <see cref="IBaselineExchange"/> over the child-process protocol: a
/// <see cref="BaselineLookup"/> event, answered by the worker with one line on stdin (a folder, or an
/// empty line), then a <see cref="BaselineReady"/> event per suite.
/// </summary>
public sealed class JobBaselineExchange(Action<JobEvent> emit, TextReader answers) : IBaselineExchange
{
    public string? Lookup(BaselineRequest request)
    {
        emit(new BaselineLookup(request.ModelHash, request.Shared, Path.GetFullPath(request.BaseFolder), request.Suites));
        var folder = answers.ReadLine()?.Trim();
        return string.IsNullOrEmpty(folder) ? null : folder;
    }

    public void Ready(BaselineRequest request, BaselineSuiteKey suite, BaselineSource source, string file) =>
        emit(new BaselineReady(request.ModelHash, request.Shared, suite, source, Path.GetFullPath(file)));
}
