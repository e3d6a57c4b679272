using System.Diagnostics.Metrics;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Hosting;

namespace ForgetLab.Grains.Tests;

public class StateWritesTests
{
    /// <summary>A unit-test stand-in for Orleans' persistent state whose writes fail when told to.</summary>
    private sealed class FlakyState<T>(T initial, bool fail) : IPersistentState<T>
    {
        public T State { get; set; } = initial;
        public string? Etag => null;
        public bool RecordExists => true;
        public List<T> Written { get; } = [];
        public Task ClearStateAsync() => Task.CompletedTask;
        public Task ReadStateAsync() => Task.CompletedTask;

        public Task WriteStateAsync()
        {
            if (fail) throw new IOException("storage is down");
            Written.Add(State);
            return Task.CompletedTask;
        }
    }

    private static long StorageErrors(string operation, Action act)
    {
        long count = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GrainMetrics.MeterName && instrument.Name == "forgetlab.storage.errors") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "operation" && (string?)tag.Value == operation) Interlocked.Add(ref count, value);
        });
        listener.Start();
        act();
        return count;
    }

    [Fact]
    public async Task ASuccessfulWriteKeepsTheNewState()
    {
        var state = new FlakyState<int>(1, fail: false);

        await state.SaveOrRollBack(2, "board");

        Assert.Equal(2, state.State);
        Assert.Equal([2], state.Written);
    }

    [Fact]
    public void AFailedWriteRestoresTheStateCountsTheErrorAndReachesTheCaller()
    {
        var state = new FlakyState<int>(1, fail: true);

        var errors = StorageErrors("write_board_state", () =>
            Assert.ThrowsAsync<IOException>(() => state.SaveOrRollBack(2, "board")).GetAwaiter().GetResult());

        Assert.Equal(1, state.State);
        Assert.Equal(1, errors);
    }
}
