using Microsoft.AspNetCore.Components;

namespace ForgetLab.Dashboard.Components;

/// <summary>
/// A page that refreshes itself every <see cref="Interval"/> over the circuit (no reload) while
/// <see cref="KeepRefreshing"/> holds, e.g. until every run has ended. Prerendering loads once.
/// </summary>
public abstract class LivePage : DashboardPage, IAsyncDisposable
{
    private PeriodicTimer? _timer;
    private readonly CancellationTokenSource _stop = new();

    protected virtual TimeSpan Interval => TimeSpan.FromSeconds(2);

    protected CancellationToken Stopping => _stop.Token;

    /// <summary>Whether another refresh is wanted after the latest load.</summary>
    protected abstract bool KeepRefreshing { get; }

    protected abstract Task Load();

    protected override Task OnParametersSetAsync() => Load();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive) _ = Refresh();
    }

    private async Task Refresh()
    {
        _timer = new PeriodicTimer(Interval);
        try
        {
            while (await _timer.WaitForNextTickAsync(_stop.Token))
            {
                if (!KeepRefreshing) continue;
                await InvokeAsync(async () =>
                {
                    await Load();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The user left the page.
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _timer?.Dispose();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
