using ForgetLab.Core.Jobs;
using ForgetLab.Core.Search;

namespace ForgetLab.Core.Tests.Search;

public class SearchObjectivesTests
{
    [Fact]
    public void TargetGainIsTheMeanDeltaWithTheMeanOfTheLimits()
    {
        var point = SearchObjectives.Point("r", [
            new("t1", ObjectiveRole.TargetGain, 40, 30, 50),
            new("t2", ObjectiveRole.TargetGain, 20, 14, 26),
        ]);
        Assert.Equal(new ObjectiveInterval(30, 22, 38), point.TargetGain);
        Assert.Equal(ObjectiveInterval.Zero, point.Forgetting);
    }

    [Fact]
    public void ForgettingIsTheLargestDropWithTheLargestDropsOfEachLimit()
    {
        var point = SearchObjectives.Point("r", [
            new("capitals", ObjectiveRole.Forgetting, -29, -35.9, -22.7),
            new("continents", ObjectiveRole.Forgetting, -17, -22.8, -12.4),
            new("currencies", ObjectiveRole.Forgetting, 1, -1.9, 3.9),
        ]);
        Assert.Equal(new ObjectiveInterval(29, 22.7, 35.9), point.Forgetting);
    }

    [Fact]
    public void AGainOnEveryRetainedSuiteIsNoForgettingAndItsIntervalStartsAtZero()
    {
        var point = SearchObjectives.Point("r", [new("capitals", ObjectiveRole.Forgetting, 2, -1, 5)]);
        Assert.Equal(new ObjectiveInterval(0, 0, 1), point.Forgetting);
    }

    [Fact]
    public void AnIntervalWhoseLowIsAboveItsHighIsRefused() =>
        Assert.Throws<ArgumentException>(() => SearchObjectives.Point("r", [new("t", ObjectiveRole.TargetGain, 1, 5, 2)]));
}

public class JobSuiteScoreObjectiveTests
{
    [Fact]
    public void AScoreWrittenBeforeObjectivesWereCarriedEntersNoObjective()
    {
        var read = JobProtocol.Read("""{"event":"checkpoint_evaluated","v":1,"run":"r","step":6,"folder":"/f","scores":[{"suite":"target","score":12.5,"delta_points":-1}],"eval_items":2,"eval_seconds":0.1}""");
        var score = Assert.Single(Assert.IsType<CheckpointEvaluated>(read.Event).Scores);
        Assert.Null(score.ToObjective());
    }

    [Fact]
    public void ATargetScoreCarriesItsIntervalIntoTheTargetGainObjective() =>
        Assert.Equal(new ObjectiveSuite("target", ObjectiveRole.TargetGain, 10, 2, 18),
            new JobSuiteScore("target", 15, 10, JobSuiteScore.TargetGain, [2, 18]).ToObjective());

    [Fact]
    public void AnUnknownObjectiveOrAMalformedIntervalEntersNone()
    {
        Assert.Null(new JobSuiteScore("target", 15, 10, "speed", [2, 18]).ToObjective());
        Assert.Null(new JobSuiteScore("target", 15, 10, JobSuiteScore.TargetGain, [2]).ToObjective());
    }
}
