using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Tests.Analysis;

public class RetentionTests
{
    [Fact]
    public void RetentionIsTheShareOfAboveChanceSkillKept() =>
        // (0.55 − 0.25)/(0.85 − 0.25) = 0.5
        Assert.Equal(0.5, Retention.Compute(0.85, 0.55, 0.25)!.Value, 12);

    [Fact]
    public void AScoreAtChanceRetainsNothing() => Assert.Equal(0.0, Retention.Compute(0.9, 0.25, 0.25));

    [Fact]
    public void AnUnchangedScoreRetainsEverything() => Assert.Equal(1.0, Retention.Compute(0.7, 0.7, 0.0));

    [Fact]
    public void ABaseNotAboveChanceHasNoRetention() => Assert.Null(Retention.Compute(0.25, 0.2, 0.25));

    [Fact]
    public void UnknownChanceHasNoRetention() => Assert.Null(Retention.Compute(0.8, 0.6, null));

    [Fact]
    public void ChanceOfMultipleChoiceIsOneOverTheNumberOfChoices()
    {
        Assert.Equal(0.25, ChanceLevel.MultipleChoice(4));
        Assert.Equal((0.5 + 0.25) / 2, ChanceLevel.MultipleChoice([2, 4]));
        Assert.Equal(0.0, ChanceLevel.ExactMatch);
    }
}
