using ForgetLab.Core.Specs;
using ForgetLab.Lab.Suites;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Runs;

/// <summary>
/// Suites scored on the base while it is pre-trained, every <see cref="Every"/> steps and at the last one, so one run
/// shows how its knowledge grows with steps (<c>forgetlab lab pretrain SPEC --probe-every N</c>). Probing reads the
/// model between steps and draws no random numbers, so the base it ends with is the one an unprobed run makes.
/// </summary>
public sealed record PretrainProbe(int Every, IReadOnlyList<SuiteDefinition> Suites)
{
    /// <summary>
    /// The probe of <paramref name="spec"/>'s base: the named suites of the spec (capped at <c>eval.max_items</c> as the
    /// baseline is), or, with none named, its knowledge and skill suites. <c>kl_to_base</c> is refused: there is no base yet.
    /// </summary>
    /// <exception cref="ArgumentException">A step count or suite name that does not fit the spec, named in the message.</exception>
    public static PretrainProbe For(LabSpec spec, BuiltInWorld world, int every, IReadOnlyList<string> names)
    {
        if (every < 1 || every > spec.Base.Pretrain.Steps)
            throw new ArgumentException($"--probe-every {every}: must be 1 to base.pretrain.steps ({spec.Base.Pretrain.Steps})");
        var target = world.Target(SpecMapping.TargetName(spec.Target.Task), spec.Target.Count, spec.Seed);
        var suites = SuiteSelection.Resolve(spec, world, target);
        var picked = names.Count == 0
            ? [.. suites.Where(s => s.Category is "knowledge" or "skill")]
            : names.Select(n => suites.FirstOrDefault(s => s.Name == n)
                ?? throw new ArgumentException($"--probe-suite {n}: not a suite of the spec (it has: {string.Join(", ", suites.Select(s => s.Name))})")).ToList();
        if (picked.FirstOrDefault(s => s.Kind == SuiteKinds.KlToBase) is { } kl)
            throw new ArgumentException($"--probe-suite {kl.Name}: compares a checkpoint with the base, which pre-training has not made yet");
        if (picked.Count == 0)
            throw new ArgumentException("--probe-every: the spec has no knowledge or skill suite to probe; name one with --probe-suite");
        return new PretrainProbe(every, picked);
    }

    public bool IsDue(int step, int totalSteps) => step % Every == 0 || step == totalSteps;
}
