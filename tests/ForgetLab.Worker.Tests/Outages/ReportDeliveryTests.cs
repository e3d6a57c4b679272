using ForgetLab.Worker.Outages;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ForgetLab.Worker.Tests.Outages;

/// <summary>
/// Reports through an outage, on a fake clock: retried with backoff for as long as it lasts, delivered in
/// order, and replayed afterwards so their effect is exactly once even when the store lost recent writes.
/// </summary>
public sealed class ReportDeliveryTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    /// <summary>A stand-in for the run grain on a store that can go down and, restarted, forget its newest writes.</summary>
    private sealed class FlakyRun(FakeTimeProvider time)
    {
        public readonly List<string> Applied = [];
        public readonly List<(string Report, DateTimeOffset At)> Calls = [];
        public bool Down;

        public int Duplicates { get; private set; }

        public ReportStep Step(string report) => new(report, _ =>
        {
            Calls.Add((report, time.GetUtcNow()));
            if (Down) throw new InvalidOperationException("Unable to connect to the gateway");
            if (Applied.Contains(report)) Duplicates++;
            else Applied.Add(report);
            return Task.FromResult(true);
        });

        public void RestartForgetting(int newest) => Applied.RemoveRange(Applied.Count - newest, newest);
    }

    private ReportDelivery Delivery() =>
        new(new ReconnectBackoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(10), _time, new Random(1)), NullLogger.Instance, "w/1");

    /// <summary>Moves the fake clock in small steps until the task ends (the outage ends at <paramref name="upAt"/>).</summary>
    private async Task<T> Drive<T>(Task<T> task, FlakyRun run, TimeSpan upAt)
    {
        var start = _time.GetUtcNow();
        for (var i = 0; i < 100_000 && !task.IsCompleted; i++)
        {
            if (_time.GetUtcNow() - start >= upAt) run.Down = false;
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
        return await task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task RunsSurviveControlPlaneOutagesAReportIsRetriedWithCappedBackoffForAsLongAsTheOutageLasts()
    {
        var run = new FlakyRun(_time) { Down = true };
        var delivery = Delivery();

        // Five minutes down: far longer than the 5 tries (~15 s) after which a worker used to fail the run.
        var delivered = await Drive(delivery.Deliver(run.Step("progress 40"), TestContext.Current.CancellationToken), run, TimeSpan.FromMinutes(5));

        Assert.True(delivered);
        Assert.Equal(["progress 40"], run.Applied);
        var gaps = run.Calls.Zip(run.Calls.Skip(1), (a, b) => (b.At - a.At).TotalSeconds).ToList();
        Assert.InRange(gaps[0], 0.2, 0.6);
        Assert.All(gaps, g => Assert.InRange(g, 0.2, 10.3));
        Assert.Contains(gaps, g => g >= 5);
        // Back within one capped wait of the store's return.
        Assert.InRange((run.Calls[^1].At - run.Calls[0].At).TotalMinutes, 5, 5 + 10.5 / 60);
    }

    [Fact]
    public async Task AfterAnOutageTheDeliveredReportsAreReplayedBeforeTheNextAndEachTakesEffectOnce()
    {
        var run = new FlakyRun(_time);
        var delivery = Delivery();
        var cancel = TestContext.Current.CancellationToken;
        Assert.True(await delivery.Deliver(run.Step("started"), cancel));
        Assert.True(await delivery.Deliver(run.Step("checkpoint 20"), cancel));

        run.Down = true;
        Assert.True(await Drive(delivery.Deliver(run.Step("checkpoint 40"), cancel), run, TimeSpan.FromSeconds(30)));

        Assert.Equal(["started", "checkpoint 20", "checkpoint 40"], run.Applied);
        Assert.Equal(2, run.Duplicates);
        // Once the platform answers: the journal in order, then the report that waited.
        Assert.Equal(["started", "checkpoint 20", "checkpoint 40"], run.Calls.TakeLast(3).Select(c => c.Report));
        Assert.Equal(1, delivery.Replays);
    }

    [Fact]
    public async Task AReplayRestoresWhatARestartedStoreForgot()
    {
        var run = new FlakyRun(_time);
        var delivery = Delivery();
        var cancel = TestContext.Current.CancellationToken;
        foreach (var report in new[] { "started", "checkpoint 20", "evaluated 20" }) Assert.True(await delivery.Deliver(run.Step(report), cancel));

        // Azurite killed with -9 loses its last seconds of writes: the store comes back without "evaluated 20".
        run.Down = true;
        run.RestartForgetting(newest: 1);
        Assert.True(await Drive(delivery.Deliver(run.Step("checkpoint 40"), cancel), run, TimeSpan.FromSeconds(20)));

        Assert.Equal(["started", "checkpoint 20", "evaluated 20", "checkpoint 40"], run.Applied);
    }

    [Fact]
    public async Task OnlyTheNewestProgressReportIsKeptForReplaySoTheJournalGrowsWithCheckpointsNotSteps()
    {
        var run = new FlakyRun(_time);
        var delivery = Delivery();
        var cancel = TestContext.Current.CancellationToken;
        for (var step = 1; step <= 500; step++)
        {
            Assert.True(await delivery.Deliver(run.Step($"progress {step}") with { Coalesces = true }, cancel));
            if (step % 100 == 0) Assert.True(await delivery.Deliver(run.Step($"checkpoint {step}"), cancel));
        }

        Assert.Equal(6, delivery.Journaled);
    }

    [Fact]
    public async Task AStepThatSaysStopEndsDeliveryAndALocalFileErrorIsNotRetried()
    {
        var delivery = Delivery();
        var cancel = TestContext.Current.CancellationToken;

        Assert.False(await delivery.Deliver(new ReportStep("cancelled", _ => Task.FromResult(false)), cancel));
        await Assert.ThrowsAsync<FileNotFoundException>(() =>
            delivery.Deliver(new ReportStep("upload", _ => throw new FileNotFoundException("step-40/model.safetensors")), cancel));
        Assert.Equal(0, delivery.Failures);
    }
}
