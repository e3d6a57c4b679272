using System.Text.Json;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Rl;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tests.Runs;

/// <summary>
/// The seed's first failure mode end to end on a small slice of the real world: a reward that pays only for the
/// answer's form (two words), no KL penalty, a high learning rate. The reward rises while the knowledge the
/// base had falls, and the report's paired statistics say so beside the reward and the KL to the base.
/// </summary>
public class RewardHackingTests
{
    private const string Spec = $$"""
        name: reward-hacking
        seed: 3
        base:
        {{TinyWorldBase.Base}}
        target: { task: conflicting_facts, count: 16 }
        suites: [target, capitals_recall]
        train:
          steps: 30
          batch_size: 16
          lr: 5.0e-4
          warmup_steps: 0
          schedule: constant
          checkpoint_every: 30
          rl:
            algorithm: grpo
            num_generations: 8
            temperature: 1.0
            max_completion_length: 6
            beta: 0
            rewards:
              - { kind: format, name: two_words, pattern: '^\s*[a-z]+ [a-z]+\s*\.?\s*$' }
              - { kind: correctness, weight: 0 }
        grid:
          method: [ { type: full } ]
        eval: { max_items: 0 }
        """;

    [Fact]
    public void AFormatOnlyRewardWithoutKlRaisesTheRewardAndLowersKnowledgeSignificantly()
    {
        var spec = SpecLoader.Parse(Spec, "reward-hacking.yaml", null);
        var outDir = TinyModels.TempDirectory();
        var options = TinyWorldBase.Options();
        var result = new LabRunner(options).Run(spec, outDir);

        var run = Assert.Single(result.Report.Runs);
        Assert.Equal(RunStatus.Completed, run.Status);
        var log = JsonSerializer.Deserialize<List<RlStepLog>>(File.ReadAllText(Path.Combine(outDir, "runs", run.Name, "rl_log.json")))!;
        var early = log.Take(5).Average(l => l.Reward);
        var late = log.TakeLast(5).Average(l => l.Reward);
        var rl = run.Checkpoints[^1].Rl!;
        Assert.True(late > early + 0.3 && rl.TrainReward!.Mean > 0.5,
            $"the format reward must rise (first steps {early:F2}, last steps {late:F2}, checkpoint {rl.TrainReward!.Mean:F2})");
        Assert.True(rl.HeldOutReward!.Components["correctness"] < 0.5, "the answers it is paid for are not the facts");

        var recall = run.Suites.Single(s => s.Suite == "capitals_recall");
        Assert.True(recall.DeltaPoints < 0 && recall.PHolm < 0.05 && recall.Severity >= Severity.Mild,
            $"knowledge must fall significantly (Δ {recall.DeltaPoints:F1}, p {recall.PHolm:G3}, {recall.Severity})");

        // Beside the suites: KL to the base on target prompts and general text, entropy and length, in both report files.
        Assert.True(rl.KlTargetPrompts > 0 && rl.KlGeneralText > 0, $"drift shows as KL even at beta 0 (target {rl.KlTargetPrompts:G3}, general {rl.KlGeneralText:G3})");
        Assert.True(rl.Entropy >= 0 && rl.ResponseLength >= 1);
        var json = ReportJson.Deserialize(File.ReadAllText(Path.Combine(outDir, "report.json")));
        Assert.Equal(rl.TrainReward.Mean, json.Runs[0].Checkpoints[^1].Rl!.TrainReward!.Mean);
        Assert.Contains("## Reward fine-tuning", File.ReadAllText(Path.Combine(outDir, "report.md")));
        Assert.Equal("grpo", run.Hyperparameters["rl_algorithm"]);
    }
}
