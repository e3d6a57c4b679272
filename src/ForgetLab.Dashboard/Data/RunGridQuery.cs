using ForgetLab.Contracts.Runs;

namespace ForgetLab.Dashboard.Data;

/// <summary>
/// One page of an experiment's runs, filtered and sorted on the server: the grid renders only the
/// page it shows, whatever the number of runs. Sort keys are the grid's column names.
/// </summary>
public static class RunGridQuery
{
    public static (IReadOnlyList<RunRow> Page, int Total) Apply(
        IReadOnlyList<RunRow> rows, string? search, RunState? state, string? sortBy, bool descending, int page, int pageSize)
    {
        IEnumerable<RunRow> query = rows;
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(r => r.RunId.Contains(term, StringComparison.OrdinalIgnoreCase)
                || (r.Report?.Method.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false));
        }

        if (state is { } s) query = query.Where(r => r.Summary.State == s);

        Func<RunRow, object?> key = sortBy switch
        {
            "state" => r => r.Summary.State,
            "step" => r => r.Summary.LastStep,
            "method" => r => r.Report?.Method,
            "severity" => r => r.Report?.Severity,
            "gain" => r => r.Report?.TargetGainPoints,
            "forgetting" => r => r.Report?.ForgettingPoints,
            "frontier" => r => r.Report?.ParetoOptimal,
            _ => r => r.RunId,
        };
        query = descending ? query.OrderByDescending(key) : query.OrderBy(key);

        var filtered = query.ToList();
        var size = Math.Max(1, pageSize);
        return ([.. filtered.Skip(Math.Max(0, page) * size).Take(size)], filtered.Count);
    }
}
