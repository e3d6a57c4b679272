using ForgetLab.Core.Jobs;
using ForgetLab.Worker.Outages;

namespace ForgetLab.Worker.Tests.Outages;

/// <summary>A job's events while the worker cannot relay them: in order, bounded, progress folded, nothing lost.</summary>
public sealed class JobEventBufferTests
{
    private static TrainingProgress Progress(long step) => new("run", step, 100, 1.0, 64, 0.01);

    private static CheckpointSaved Checkpoint(long step) => new("run", step, $"/runs/run/step-{step}", new string('0', 64), 1.0);

    private static long StepOf(JobEvent e) => e switch
    {
        TrainingStarted s => s.Step,
        TrainingProgress p => p.Step,
        CheckpointSaved c => c.Step,
        _ => throw new ArgumentException($"no step in a {e.Name} event"),
    };

    private static async Task<List<JobEvent>> Drain(JobEventBuffer buffer)
    {
        buffer.Complete();
        var read = new List<JobEvent>();
        await foreach (var e in buffer.ReadAllAsync(TestContext.Current.CancellationToken)) read.Add(e);
        return read;
    }

    [Fact]
    public async Task ProgressEventsFoldIntoTheNewestWhileCheckpointsKeepTheirPlace()
    {
        var buffer = new JobEventBuffer(capacity: 10);
        await buffer.Add(new TrainingStarted("run", 0, 100, "/runs/run"), TestContext.Current.CancellationToken);
        for (var step = 1; step <= 100; step++)
        {
            await buffer.Add(Progress(step), TestContext.Current.CancellationToken);
            if (step % 40 == 0) await buffer.Add(Checkpoint(step), TestContext.Current.CancellationToken);
        }

        var read = await Drain(buffer);

        Assert.Equal(
            ["started:0", "progress:40", "checkpoint_saved:40", "progress:80", "checkpoint_saved:80", "progress:100"],
            read.Select(e => $"{e.Name}:{StepOf(e)}"));
    }

    [Fact]
    public async Task AFullBufferHoldsTheJobBackInsteadOfDroppingAnEvent()
    {
        var buffer = new JobEventBuffer(capacity: 2);
        await buffer.Add(Checkpoint(1), TestContext.Current.CancellationToken);
        await buffer.Add(Checkpoint(2), TestContext.Current.CancellationToken);

        var third = buffer.Add(Checkpoint(3), TestContext.Current.CancellationToken);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.False(third.IsCompleted);
        // A progress event is folded only into a progress event before it; here it waits too.
        Assert.Equal(2, buffer.Count);

        await using var reader = buffer.ReadAllAsync(TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal(1, StepOf(reader.Current));
        await third.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        buffer.Complete();
        var rest = new List<long>();
        while (await reader.MoveNextAsync()) rest.Add(StepOf(reader.Current));
        Assert.Equal([2L, 3L], rest);
    }
}
