using ForgetLab.Contracts.Runs;

namespace ForgetLab.Dashboard.Data;

/// <summary>How the dashboard groups run states.</summary>
public static class RunStates
{
    public static bool HasEnded(RunState state) =>
        state is RunState.Completed or RunState.Failed or RunState.Cancelled or RunState.StoppedEarly;
}
