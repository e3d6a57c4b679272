using ForgetLab.Core.Baselines;

namespace ForgetLab.Lab.Baselines;

/// <summary>
/// How a job shares the base model's baseline with the platform: before evaluating the base it asks
/// for the baselines already recorded (<see cref="Lookup"/> answers a folder of
/// <see cref="BaselineSuiteKey.FileName"/> files, or null), and tells what it used per suite
/// (<see cref="Ready"/>), so the host records those the platform did not have.
/// </summary>
public interface IBaselineExchange
{
    string? Lookup(BaselineRequest request);

    void Ready(BaselineRequest request, BaselineSuiteKey suite, BaselineSource source, string file);
}
