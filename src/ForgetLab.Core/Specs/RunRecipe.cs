namespace ForgetLab.Core.Specs;

/// <summary>
/// One run of an experiment's grid, fully resolved: what a trainer needs besides the base model,
/// target and suites. <see cref="Train"/> carries the run's own lr and steps.
/// </summary>
public sealed record RunRecipe(string Name, MethodSpec Method, TrainSpec Train, int Seed)
{
    public double Lr => Train.Lr;

    public int Steps => Train.Steps;
}
