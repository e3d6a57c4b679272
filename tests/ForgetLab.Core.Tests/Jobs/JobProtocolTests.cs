using ForgetLab.Core.Baselines;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Tests.Jobs;

/// <summary>
/// The job protocol on the wire: every case goes out as one JSON line and comes back as the same case with
/// the same fields; a status travels as Core's <see cref="RunStatus"/>; a line that claims to be an event and
/// is not one is refused with its reason, and library noise is told apart.
/// </summary>
public class JobProtocolTests
{
    private static readonly BaselineSuiteKey Suite = new("capitals_recall", "1-abc", "d41d8cd9");

    /// <summary>One of every case, with every optional field set.</summary>
    public static readonly TheoryData<JobEvent> EveryCase =
    [
        new PreparationProgress(PreparationPhase.Pretrain, 120, 400, "loss 2.345 · 9,000 tok/s"),
        new PreparationProgress(PreparationPhase.Baseline, 1, 3, "capitals_recall"),
        new PreparationProgress(PreparationPhase.LoadBase, 1, 1, "/models/base"),
        new BaselineLookup("0123456789abcdef", true, "/cache/0123456789abcdef", [Suite, Suite with { Suite = "target" }]),
        new BaselineReady("0123456789abcdef", false, Suite, BaselineSource.Evaluated, "/cache/baselines/capitals_recall@1.json"),
        new TrainingStarted("full-lr1e-3", 3, 6, "/out/runs/full-lr1e-3"),
        new TrainingProgress("full-lr1e-3", 4, 6, double.NaN, 512, 0.25),
        new TrainingProgress("grpo", 4, 6, 0.5, 96, 0.25, new JobRlStep(0.75, new Dictionary<string, double> { ["correct"] = 0.5, ["format"] = 1 }, 0.125, 2.5, 12, 0.04)),
        new CheckpointSaved("full-lr1e-3", 6, "/out/runs/full-lr1e-3/step-6", new string('a', 64), 1.5),
        new PreemptionCheckpointSaved("full-lr1e-3", 5, "/out/runs/full-lr1e-3/step-5", new string('b', 64), 1.6),
        new EvaluationStarted("full-lr1e-3", 6),
        new EvaluationProgress("full-lr1e-3", 6, 1, 3, "target"),
        new CheckpointEvaluated("full-lr1e-3", 6, "/out/runs/full-lr1e-3/step-6", [new JobSuiteScore("target", 12.5, -1, JobSuiteScore.TargetGain, [-9.5, 7.5]), new JobSuiteScore("text", 3.5, 0.1)], 24, 0.5),
        new RunFinished("full-lr1e-3", RunStatus.StoppedEarly, 6, "early stopping: capitals_recall crossed its threshold at step 6; kept step 3", "/out/runs/full-lr1e-3"),
        new JobFailed("full-lr1e-3", "spec 'tiny' has no run 'full-lr1e-3'"),
        new ReportWritten("/out/report.json"),
    ];

    [Theory]
    [MemberData(nameof(EveryCase))]
    public void EveryCaseRoundTripsAsOneJsonLineOfItsOwnName(JobEvent e)
    {
        var line = JobProtocol.ToJsonLine(e);

        Assert.DoesNotContain('\n', line);
        Assert.StartsWith($$"""{"event":"{{e.Name}}","v":{{JobProtocol.Version}},""", line);
        var read = JobProtocol.Read(line);
        Assert.Null(read.Error);
        Assert.IsType(e.GetType(), read.Event);
        Assert.Equal(line, JobProtocol.ToJsonLine(read.Event!));
    }

    [Fact]
    public void TheRoundTripCoversEveryCaseOfTheUnion() =>
        Assert.Equal(JobProtocol.EventNames.Order(), EveryCase.Select(row => row.Data.Name).Distinct().Order());

    [Fact]
    public void TheWireNamesItsFieldsInSnakeCase() =>
        Assert.Equal(
            """{"event":"progress","v":1,"run":"r","step":3,"total_steps":6,"loss":1.25,"step_tokens":512,"step_seconds":0.5,"rl":null}""",
            JobProtocol.ToJsonLine(new TrainingProgress("r", 3, 6, 1.25, 512, 0.5)));

    [Fact]
    public void AProgressEventCarriesARewardFineTuningStepsMeasuresAndALineWithoutThemReadsAsASupervisedStep()
    {
        var line = JobProtocol.ToJsonLine(new TrainingProgress("r", 3, 6, 1.25, 96, 0.5, new JobRlStep(0.75, new Dictionary<string, double> { ["format"] = 0.75 }, null, 2.5, 12, 0)));
        Assert.EndsWith(""","rl":{"reward":0.75,"components":{"format":0.75},"kl":null,"entropy":2.5,"completion_length":12,"beta":0}}""", line);
        var rl = Assert.IsType<TrainingProgress>(JobProtocol.Read(line).Event).Rl!;
        Assert.Equal((0.75, 0.75, null, 2.5, 12.0), (rl.Reward, rl.Components["format"], rl.Kl, rl.Entropy, rl.CompletionLength));

        var supervised = JobProtocol.Read("""{"event":"progress","v":1,"run":"r","step":3,"total_steps":6,"loss":1.25,"step_tokens":512,"step_seconds":0.5}""");
        Assert.Null(supervised.Error);
        Assert.Null(Assert.IsType<TrainingProgress>(supervised.Event).Rl);
    }

    [Theory]
    [InlineData(RunStatus.Completed, "completed")]
    [InlineData(RunStatus.StoppedEarly, "stopped_early")]
    [InlineData(RunStatus.Diverged, "diverged")]
    [InlineData(RunStatus.Failed, "failed")]
    public void AFinishedEventCarriesItsRunStatusByTheReportsName(RunStatus status, string name)
    {
        var line = JobProtocol.ToJsonLine(new RunFinished("r", status, 6, null, "/out/runs/r"));

        Assert.Contains($"\"status\":\"{name}\"", line);
        Assert.Equal(status, Assert.IsType<RunFinished>(JobProtocol.Read(line).Event).Status);
    }

    [Fact]
    public void EveryRunStatusHasACaseInTheTheoryAbove() =>
        Assert.Equal(4, Enum.GetValues<RunStatus>().Length);

    [Fact]
    public void AFinishedEventWithAStatusTheReportDoesNotKnowIsRefused()
    {
        var read = JobProtocol.Read("""{"event":"finished","v":1,"run":"r","status":"exploded","folder":"/out"}""");

        Assert.Null(read.Event);
        Assert.Contains("'finished' event with a missing or invalid field", read.Error);
    }

    [Fact]
    public void AnUnknownEventIsRefusedByItsName()
    {
        var read = JobProtocol.Read("""{"event":"exploded","v":1,"step":3}""");

        Assert.Null(read.Event);
        Assert.StartsWith("unknown event 'exploded' (protocol version 1 has phase, baseline_lookup,", read.Error);
    }

    [Theory]
    [InlineData("""{"event":"progress","v":1,"run":"r","step":"three","total_steps":6,"loss":1,"step_tokens":1,"step_seconds":1}""", "a 'progress' event with a missing or invalid field")]
    [InlineData("""{"event":"progress","v":1,"run":"r","step":3}""", "a 'progress' event with a missing or invalid field")]
    [InlineData("""{"event":"checkpoint_saved","v":1,"run":"r","step":3,"folder":null,"sha256":"ab"}""", "a 'checkpoint_saved' event with a missing or invalid field")]
    [InlineData("""{"step":3}""", "a JSON object without an \"event\" name")]
    [InlineData("""{"event":7}""", "a JSON object without an \"event\" name")]
    [InlineData("""{"event":"progress","run":"r"}""", "a 'progress' event without its protocol version \"v\"")]
    [InlineData("""{"event":"progress","v":2,"run":"r"}""", "a 'progress' event of protocol version 2; this reader speaks version 1")]
    [InlineData("""{not json""", "not JSON: ")]
    public void AMalformedLineIsRefusedWithWhatIsWrong(string line, string error)
    {
        var read = JobProtocol.Read(line);

        Assert.Null(read.Event);
        Assert.StartsWith(error, read.Error);
    }

    [Theory]
    [InlineData("warning: something from libtorch")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("[W NNPACK.cpp:64] Could not initialize NNPACK")]
    public void LibraryNoiseIsNeitherAnEventNorAnError(string? line)
    {
        var read = JobProtocol.Read(line);

        Assert.Null(read.Event);
        Assert.Null(read.Error);
    }
}
