using System.Diagnostics;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Reports;
using ForgetLab.Worker.Outages;

namespace ForgetLab.Worker.Tests;

/// <summary>
/// What the worker makes of a child's stdout: events come through in order, library noise goes to the log,
/// and a line that claims to be an event and is not one is named (line number, reason) without stopping the
/// pump or the worker.
/// </summary>
public sealed class JobProcessTests
{
    private static ProcessStartInfo Printing(params string[] lines)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("cat \"$0\"");
        var file = Path.Combine(Directory.CreateTempSubdirectory("forgetlab-job-").FullName, "stdout.txt");
        File.WriteAllLines(file, lines);
        start.ArgumentList.Add(file);
        return start;
    }

    private static async Task<List<JobEvent>> Drain(JobProcess job)
    {
        var events = new List<JobEvent>();
        await foreach (var e in job.Events.ReadAllAsync(TestContext.Current.CancellationToken)) events.Add(e);
        return events;
    }

    [Fact]
    public async Task AMalformedOrUnknownLineIsNamedInTheLogAndTheEventsAroundItStillArrive()
    {
        var log = Path.Combine(Directory.CreateTempSubdirectory("forgetlab-job-").FullName, "job.log");
        var started = JobProtocol.ToJsonLine(new TrainingStarted("r", 0, 6, "/out/runs/r"));
        var finished = JobProtocol.ToJsonLine(new RunFinished("r", RunStatus.Completed, 6, null, "/out/runs/r"));
        await using var job = JobProcess.Start(
            Printing(started, "[W NNPACK.cpp:64] Could not initialize NNPACK", """{"event":"exploded","v":1}""", """{"event":"progress","v":1,"run":"r"}""", finished),
            log, new JobEventBuffer(10));

        var events = await Drain(job);
        Assert.Equal(0, await job.WaitForExit(TestContext.Current.CancellationToken));

        Assert.Equal(["started", "finished"], events.Select(e => e.Name));
        Assert.Equal(RunStatus.Completed, Assert.IsType<RunFinished>(events[^1]).Status);
        Assert.StartsWith("stdout line 4 is not a job event: a 'progress' event with a missing or invalid field", job.ProtocolError);
        var logged = await File.ReadAllTextAsync(log, TestContext.Current.CancellationToken);
        Assert.Contains("stdout: [W NNPACK.cpp:64] Could not initialize NNPACK", logged);
        Assert.Contains("stdout line 3 is not a job event: unknown event 'exploded'", logged);
        Assert.Contains("stdout line 4 is not a job event: a 'progress' event", logged);
    }

    [Fact]
    public async Task AChildThatSpeaksOnlyWellFormedEventsLeavesNoProtocolError()
    {
        var log = Path.Combine(Directory.CreateTempSubdirectory("forgetlab-job-").FullName, "job.log");
        await using var job = JobProcess.Start(Printing(JobProtocol.ToJsonLine(new JobFailed("r", "spec 'x' has no run 'r'"))), log, new JobEventBuffer(10));

        var events = await Drain(job);

        Assert.Equal("spec 'x' has no run 'r'", Assert.IsType<JobFailed>(Assert.Single(events)).Reason);
        Assert.Null(job.ProtocolError);
    }
}
