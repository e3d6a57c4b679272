using Microsoft.Extensions.DependencyInjection;
using ForgetLab.Dashboard.Data;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Models;
using ForgetLab.Contracts.Runs;
using ForgetLab.Dashboard.Pages.Experiments;
using ForgetLab.Dashboard.Pages.Runs;
using ForgetLab.Dashboard.Pages.Submit;
using Microsoft.AspNetCore.Components;

namespace ForgetLab.Dashboard.Tests;

public sealed class PageTests : DashboardTestContext
{
    [Fact]
    public void ExperimentPageWithFiveHundredRunsRendersOnePageOfTheGridFromOneDataCall()
    {
        Data.Experiments["big"] = SampleReports.Experiment("big", runs: 500, suites: 10);

        var page = Render<ExperimentPage>(p => p.Add(c => c.ExperimentId, "big"));

        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("#heatmap tbody tr").Count));
        Assert.Equal(25, page.FindAll("#runs-grid tbody tr.mud-table-row").Count);
        Assert.Equal(25 * 10, page.FindAll("#heatmap td[data-suite]").Count);
        Assert.Equal(500, page.FindAll("#frontier a circle").Count);
        Assert.Equal(10, page.FindAll("#baseline tbody tr").Count);
        Assert.Equal(1, Data.ExperimentCalls);
        Assert.Equal("/experiments/big/report.csv", page.Find("#export-csv").GetAttribute("href"));
    }

    [Fact]
    public void ThePrerenderedExperimentPageHoldsTheGridsFirstPageItsHeatmapAndTheWholeRunCountWithoutTheGridAskingForAPage()
    {
        Data.Experiments["big"] = SampleReports.Experiment("big", runs: 500, suites: 10);

        var page = Render<ExperimentPage>(p => p.Add(c => c.ExperimentId, "big"));

        // A prerender has no after-render in which the grid could ask for its page: all of it is in the first render.
        Assert.Equal("false", page.Find("#experiment-header").GetAttribute("data-interactive"));
        Assert.Equal(25, page.FindAll("#runs-grid tbody tr.mud-table-row").Count);
        Assert.Equal(25 * 10, page.FindAll("#heatmap td[data-suite]").Count);
        Assert.Contains("of 500", page.Find("#runs-grid .mud-table-pagination").TextContent);
        var gridRuns = page.FindAll("#runs-grid tbody tr.mud-table-row td:first-child").Select(td => td.TextContent.Trim()).ToList();
        var heatmapRuns = page.FindAll("#heatmap tbody th a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(gridRuns, heatmapRuns);
    }

    [Fact]
    public void TheCircuitTakesThePrerendersDataOverInsteadOfLoadingItAgainAndThenPagesTheGridItself()
    {
        Data.Experiments["big"] = SampleReports.Experiment("big", runs: 500, suites: 10);
        var prerendered = Render<ExperimentPage>(p => p.Add(c => c.ExperimentId, "big"));
        var heatmap = prerendered.Find("#heatmap").OuterHtml;
        PageState.TriggerOnPersisting();

        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var live = Render<ExperimentPage>(p => p.Add(c => c.ExperimentId, "big"));

        live.WaitForAssertion(() => Assert.Equal(25, live.FindAll("#runs-grid tbody tr.mud-table-row").Count));
        Assert.Equal("true", live.Find("#experiment-header").GetAttribute("data-interactive"));
        Assert.Equal(heatmap, live.Find("#heatmap").OuterHtml);
        Assert.Equal(1, Data.ExperimentCalls);
    }

    [Fact]
    public void RunPageDrawsTheLossCurveFromTheRunsLossHistoryWhileItTrains()
    {
        var recipe = new RunRecipeInfo("full-lr1e-3", "full", 1e-3, 400, 1);
        var run = new RunView("demo", "e", recipe, RunState.Running, 300, 0.5, null, [], [], 1)
        {
            LossHistory = [.. Enumerable.Range(1, 60).Select(i => new LossPoint(i * 5, 6.0 / i))],
        };
        Data.Runs["e/full-lr1e-3"] = new RunData(run, null, ["target"]);

        var page = Render<RunPage>(p => p.Add(c => c.ExperimentId, "e").Add(c => c.RunId, "full-lr1e-3"));

        // 60 reported points and the latest loss at step 300 (already the last point): 60 steps on the x axis, one line.
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#loss-curve svg path.mud-chart-line")));
        var labels = page.FindAll("#loss-curve svg text").Select(t => t.TextContent.Trim()).Where(t => t.Length > 0 && t.All(char.IsAsciiDigit)).Select(long.Parse).ToList();
        Assert.Contains(5L, labels);
        Assert.DoesNotContain(7L, labels);
        Assert.InRange(labels.Count(l => l % 5 == 0 && l <= 300), 2, 30); // a readable number of step labels, not 60
    }

    [Fact]
    public async Task RunPageDrawsTheRewardKlEntropyAndLengthCurvesOfARunningRewardFineTuningRunFromItsRlHistory()
    {
        var recipe = new RunRecipeInfo("grpo-lr1e-4", "full", 1e-4, 200, 1);
        var run = new RunView("demo", "rl", recipe, RunState.Running, 120, 0.5, null, [], [], 1)
        {
            RlHistory = [.. Enumerable.Range(1, 30).Select(i => new RlStepPoint(i * 4, 4, 0.02 * i,
                [new RewardComponentMean("correct", 0.0), new RewardComponentMean("format", 0.02 * i)], 0.5 * i, 3.0 - 0.05 * i, 8 + i, 0.04))],
        };
        Data.Runs["rl/grpo-lr1e-4"] = new RunData(run, null, ["target"]);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));   // over a circuit: the page refreshes itself

        var page = Render<RunPage>(p => p.Add(c => c.ExperimentId, "rl").Add(c => c.RunId, "grpo-lr1e-4"));

        // No report yet (the run is Running): the curves come from the run grain's points alone.
        // Async waits: a loaded machine starves the thread pool of the synchronous ones.
        await page.WaitForAssertionAsync(() => Assert.Contains("(live)", page.Find("#rl-training").TextContent), TimeSpan.FromSeconds(30));
        Assert.Empty(page.FindAll("#rl-curves"));
        Assert.Equal(3, page.FindAll("#rl-training-reward svg path.mud-chart-line").Count);   // the reward and its two components
        Assert.Single(page.FindAll("#rl-training-kl svg path.mud-chart-line"));
        Assert.Single(page.FindAll("#rl-training-entropy svg path.mud-chart-line"));
        Assert.Single(page.FindAll("#rl-training-length svg path.mud-chart-line"));
        var latest = page.Find("#rl-training-latest").TextContent;
        Assert.Contains("step 120: reward 0.6", latest);
        Assert.Contains("format 0.6", latest);
        Assert.Contains("KL to the reference 15", latest);
        Assert.Contains("entropy 1.5", latest);
        Assert.Contains("length 38", latest);
        Assert.Contains("mean of 4 steps", latest);

        // A new point the next refresh brings is drawn without a reload.
        Data.Runs["rl/grpo-lr1e-4"] = new RunData(run with
        {
            LastStep = 124,
            RlHistory = run.RlHistory.Add(new RlStepPoint(124, 1, 0.9, [new RewardComponentMean("correct", 0.0), new RewardComponentMean("format", 0.9)], 16, 1.4, 40, 0.04)),
        }, null, ["target"]);
        await page.WaitForAssertionAsync(() => Assert.Contains("step 124: reward 0.9", page.Find("#rl-training-latest").TextContent), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void RunPageOfASupervisedRunHasNoRewardFineTuningPanel()
    {
        var recipe = new RunRecipeInfo("full-lr1e-3", "full", 1e-3, 400, 1);
        var run = new RunView("demo", "sft", recipe, RunState.Running, 300, 0.5, null, [], [], 1)
        {
            LossHistory = [new LossPoint(100, 1.0), new LossPoint(200, 0.8)],
        };
        Data.Runs["sft/full-lr1e-3"] = new RunData(run, null, ["target"]);

        var page = Render<RunPage>(p => p.Add(c => c.ExperimentId, "sft").Add(c => c.RunId, "full-lr1e-3"));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("#loss-curve svg path.mud-chart-line")));
        Assert.Empty(page.FindAll("#rl-training"));
    }

    [Fact]
    public void RunPageListsEachPreemptionWithItsReasonOutcomeAndWhereItResumes()
    {
        var recipe = new RunRecipeInfo("full-lr1e-3", "full", 1e-3, 400, 1);
        var at = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var run = new RunView("demo", "p", recipe, RunState.Queued, 120, 0.5, null, [], [], 2)
        {
            Preemptions =
            [
                new RunPreemption(at, "higher_class", "preempted for another tenant's run of a higher class than low", "", "checkpointed", 120, at.AddSeconds(-20)),
                new RunPreemption(at.AddHours(1), "reclaim_guarantee", "preempted: another tenant reclaims", "", "grace_timeout", null, at.AddMinutes(50)),
            ],
        };
        Data.Runs["p/full-lr1e-3"] = new RunData(run, null, ["target"]);

        var page = Render<RunPage>(p => p.Add(c => c.ExperimentId, "p").Add(c => c.RunId, "full-lr1e-3"));

        var rows = page.FindAll("#run-preemptions tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("higher_class", rows[0]);
        Assert.Contains("step 120", rows[0]);
        Assert.Contains("grace_timeout", rows[1]);
        Assert.Contains("scratch", rows[1]);
    }

    [Fact]
    public void AnEndedRunsPageSaysWhereItsTimeWent()
    {
        var recipe = new RunRecipeInfo("full-lr1e-3", "full", 1e-3, 400, 1);
        var run = new RunView("demo", "timed", recipe, RunState.Completed, 400, 0.5, null, [], [], 1);
        var report = SampleReports.Run(1, ["target", "capitals"]);
        report = report with { Checkpoints = [.. report.Checkpoints.Select(c => c with { TrainingSeconds = 90, EvaluationSeconds = 210 })] };
        Data.Runs["timed/full-lr1e-3"] = new RunData(run, report, ["target", "capitals"]);

        var page = Render<RunPage>(p => p.Add(c => c.ExperimentId, "timed").Add(c => c.RunId, "full-lr1e-3"));

        var n = report.Checkpoints.Count;
        Assert.True(n > 0);
        page.WaitForAssertion(() => Assert.Equal(
            $"time: training {RunPage.Seconds(90.0 * n)} · evaluation {RunPage.Seconds(210.0 * n)} (70% of it)", Squeeze(page.Find("#run-time").TextContent)));
    }

    [Fact]
    public void AnRlRunsPageDrawsRewardKlEntropyAndLengthAcrossItsCheckpoints()
    {
        var recipe = new RunRecipeInfo("full-lr1e-3-grpo", "full", 1e-3, 30, 1);
        var run = new RunView("demo", "rl", recipe, RunState.Completed, 30, 0.5, null, [], [], 1);
        var sample = SampleReports.Run(1, ["target", "capitals"]);
        Core.Reports.RewardMeasurement Reward(double format, double correct) =>
            new(format, new Dictionary<string, double> { ["two_words"] = format, ["correctness"] = correct }, 32);
        // Reward hacking as the run page must show it: the format reward rises while correctness falls and KL grows.
        var steps = new[] { (10L, 0.1, 0.6, 0.2), (20L, 0.6, 0.3, 0.9), (30L, 1.0, 0.0, 1.9) };
        var report = sample with
        {
            Checkpoints = [.. steps.Select(s => new Core.Reports.CheckpointReport(s.Item1, 1.0, sample.Suites)
            {
                Rl = new Core.Reports.RlMeasurement(Reward(s.Item2, s.Item3), Reward(s.Item2 - 0.05, s.Item3), s.Item4, s.Item4 * 1.5, 2.0 - s.Item2, 3 + s.Item1 / 10) { Beta = 0 },
            })],
        };
        Data.Runs["rl/full-lr1e-3-grpo"] = new RunData(run, report, ["target", "capitals"]);

        var page = Render<RunPage>(p => p.Add(c => c.ExperimentId, "rl").Add(c => c.RunId, "full-lr1e-3-grpo"));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#rl-curves")));
        // Reward: train and held-out, each with its two components: six lines; KL: target prompts and general text.
        Assert.Equal(6, page.FindAll("#rl-reward svg path.mud-chart-line").Count);
        Assert.Equal(2, page.FindAll("#rl-kl svg path.mud-chart-line").Count);
        Assert.Single(page.FindAll("#rl-entropy svg path.mud-chart-line"));
        Assert.Single(page.FindAll("#rl-length svg path.mud-chart-line"));
        var legend = page.Find("#rl-reward").TextContent;
        foreach (var name in new[] { "train reward", "held-out reward", "train: two_words", "held-out: correctness" }) Assert.Contains(name, legend);
        Assert.Contains("general text", page.Find("#rl-kl").TextContent);
        var rows = page.FindAll("#rl-latest tbody tr");
        Assert.Equal(["10", "20", "30"], rows.Select(r => r.GetAttribute("data-step")));
        Assert.Equal(["30", "1", "0.95", "1.9", "2.85", "1", "6", "0"], rows[^1].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
    }

    [Fact]
    public void ASupervisedRunsPageHasNoRewardPanel()
    {
        var recipe = new RunRecipeInfo("full-lr1e-3", "full", 1e-3, 400, 1);
        var run = new RunView("demo", "sft", recipe, RunState.Completed, 400, 0.5, null, [], [], 1);
        Data.Runs["sft/full-lr1e-3"] = new RunData(run, SampleReports.Run(1, ["target", "capitals"]), ["target", "capitals"]);

        var page = Render<RunPage>(p => p.Add(c => c.ExperimentId, "sft").Add(c => c.RunId, "full-lr1e-3"));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#drill-down")));
        Assert.Empty(page.FindAll("#rl-curves"));
    }

    [Fact]
    public void ExperimentAndRunPagesShowTheBaseModelsArchitectureParametersDtypeAndTokenizer()
    {
        var llama = new ModelArchitecture("llama", 32_000, 4096, 2048, 16, 32, 1_235_814_400, "BF16", new ModelTokenizerInfo("sentencepiece", "tokenizer.model", 32_000), 2_471_628_800, 8);
        var experiment = SampleReports.Experiment("llama", runs: 2, suites: 2);
        Data.Experiments["llama"] = experiment with { Experiment = experiment.Experiment with { Base = llama } };
        var run = new RunView("demo", "llama", new RunRecipeInfo("full-lr1e-3", "full", 1e-3, 400, 1), RunState.Running, 3, 0.5, null, [], [], 1);
        Data.Runs["llama/full-lr1e-3"] = new RunData(run, null, ["target"], llama);

        var experimentPage = Render<ExperimentPage>(p => p.Add(c => c.ExperimentId, "llama"));
        var runPage = Render<RunPage>(p => p.Add(c => c.ExperimentId, "llama").Add(c => c.RunId, "full-lr1e-3"));

        const string expected = "base model: llama · 1.24 B parameters · BF16 on disk · tokenizer sentencepiece (32,000 ids, tokenizer.model) · 16 layers × 2048, 32 heads (8 key/value), vocab 32,000";
        experimentPage.WaitForAssertion(() => Assert.Equal(expected, Squeeze(experimentPage.Find("#base-model").TextContent)));
        runPage.WaitForAssertion(() => Assert.Equal(expected, Squeeze(runPage.Find("#base-model").TextContent)));
    }

    [Fact]
    public void AWorldBaseNoWorkerHasPreparedIsSaidToBeNotDescribedYet()
    {
        Data.Experiments["fresh"] = SampleReports.Experiment("fresh", runs: 1, suites: 1);

        var page = Render<ExperimentPage>(p => p.Add(c => c.ExperimentId, "fresh"));

        page.WaitForAssertion(() => Assert.StartsWith("base model: not described yet", Squeeze(page.Find("#base-model").TextContent)));
    }

    [Fact]
    public void AQueuedRunThatFitsNoDeviceSaysWhyOnItsPageAndOnItsExperimentsGridWithItsMemory()
    {
        const string why = "needs 9.3 GiB per device; the largest cuda device has 8.0 GiB (worker w1 cuda:0)";
        var memory = new RunMemory(10_000_000_000, null, "9.3 GiB at fine-tuning (2048 tokens a row): weights 1.0 GiB, gradients 1.0 GiB, optimizer 2.0 GiB, activations 5.1 GiB, runtime 180.0 MiB");
        var run = new RunView("demo", "big", new RunRecipeInfo("full-lr1e-3", "full", 1e-3, 400, 1), RunState.Queued, 0, null, null, [], [], 0)
        {
            Memory = memory,
            Waiting = why,
        };
        Data.Runs["big/full-lr1e-3"] = new RunData(run, null, ["target"]);
        var experiment = SampleReports.Experiment("big", runs: 2, suites: 2);
        Data.Experiments["big"] = new ExperimentData(experiment.Experiment,
            [new RunSummary(experiment.Runs[0].RunId, RunState.Queued, 0, 0) { MemoryBytes = 10_000_000_000, Waiting = why }, experiment.Runs[1]], experiment.Report);

        var runPage = Render<RunPage>(p => p.Add(c => c.ExperimentId, "big").Add(c => c.RunId, "full-lr1e-3"));
        var experimentPage = Render<ExperimentPage>(p => p.Add(c => c.ExperimentId, "big"));

        runPage.WaitForAssertion(() => Assert.Equal($"Queued, and no registered worker can take it: {why}", Squeeze(runPage.Find("#run-waiting").TextContent)));
        Assert.Equal($"memory: estimated {memory.Basis}", Squeeze(runPage.Find("#run-memory").TextContent));
        experimentPage.WaitForAssertion(() => Assert.Equal($"1 queued run no registered worker can take: {why}", Squeeze(experimentPage.Find("#experiment-waiting").TextContent)));
        Assert.Contains(why, experimentPage.Find("#runs-grid .fl-waiting").TextContent);
        Assert.Contains(experimentPage.FindAll("#runs-grid td"), td => td.TextContent.Trim() == "9.3 GiB");
    }

    [Fact]
    public void ARunWithAForecastShowsItsForecastForgettingWithTheInterval()
    {
        var forecast = new ForecastView(400, 12.34, 4.06, 20.55, 3, "forgetting = a + b·ln(step)");
        var run = new RunView("demo", "f", new RunRecipeInfo("full-lr1e-3", "full", 1e-3, 400, 1), RunState.Running, 150, 0.5, null, [], [], 1) { Forecast = forecast };
        Data.Runs["f/full-lr1e-3"] = new RunData(run, null, ["target"]);
        var plain = new RunView("demo", "f", new RunRecipeInfo("lora", "lora", 1e-3, 400, 1), RunState.Running, 50, 0.5, null, [], [], 1);
        Data.Runs["f/lora"] = new RunData(plain, null, ["target"]);

        var page = Render<RunPage>(p => p.Add(c => c.ExperimentId, "f").Add(c => c.RunId, "full-lr1e-3"));
        var without = Render<RunPage>(p => p.Add(c => c.ExperimentId, "f").Add(c => c.RunId, "lora"));

        page.WaitForAssertion(() => Assert.Equal(
            "forecast forgetting at step 400: 12.3 points [4.1, 20.6] (95% prediction interval from 3 checkpoints, linear in log-steps)",
            Squeeze(page.Find("#run-forecast").TextContent)));
        without.WaitForAssertion(() => Assert.NotEmpty(without.FindAll("#run-progress")));
        Assert.Empty(without.FindAll("#run-forecast"));
    }

    [Fact]
    public void ADeclaredMemoryIsShownAsWhatPlacementUsesBesideTheEstimate()
    {
        var memory = new RunMemory(2L << 30, 4L << 30, "2.0 GiB at evaluation (128 tokens a row): weights 12.7 MiB, gradients 12.7 MiB, optimizer 25.4 MiB, activations 1.8 GiB, runtime 180.0 MiB");
        var run = new RunView("demo", "e", new RunRecipeInfo("full-lr1e-3", "full", 1e-3, 400, 1), RunState.Running, 3, 0.5, null, [], [], 1) { Memory = memory };
        Data.Runs["e/full-lr1e-3"] = new RunData(run, null, ["target"]);

        var page = Render<RunPage>(p => p.Add(c => c.ExperimentId, "e").Add(c => c.RunId, "full-lr1e-3"));

        page.WaitForAssertion(() => Assert.StartsWith("memory: 4.0 GiB per device, declared (resources.memory_gb), which placement uses; the estimate: 2.0 GiB at evaluation", Squeeze(page.Find("#run-memory").TextContent)));
        Assert.Empty(page.FindAll("#run-waiting"));
    }

    private static string Squeeze(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void GridFilterSortAndPageHappenOnTheServer()
    {
        var rows = SampleReports.Experiment("e", runs: 100, suites: 3).Rows;

        var (page, total) = RunGridQuery.Apply(rows, "lora", null, "forgetting", descending: true, page: 1, pageSize: 10);

        Assert.Equal(50, total);
        Assert.Equal(10, page.Count);
        Assert.All(page, r => Assert.Equal("lora", r.Report!.Method));
        Assert.True(page.Zip(page.Skip(1)).All(p => p.First.Report!.ForgettingPoints >= p.Second.Report!.ForgettingPoints));
        Assert.Equal(rows.Where(r => r.Report!.Method == "lora").OrderByDescending(r => r.Report!.ForgettingPoints).Skip(10).First().RunId, page[0].RunId);
    }

    [Fact]
    public void AnotherTenantsExperimentIsTheNotFoundPage()
    {
        var notFound = false;
        Services.GetRequiredService<NavigationManager>().OnNotFound += (_, _) => notFound = true;

        var page = Render<ExperimentPage>(p => p.Add(c => c.ExperimentId, "someone-elses"));

        page.WaitForAssertion(() => Assert.True(notFound));
        Assert.Empty(page.FindAll("#runs-grid"));
    }

    [Fact]
    public void SubmitPageStartsFromTheQuickstartAndNamesTheLineOfEachProblem()
    {
        var page = Render<SubmitPage>();
        Assert.NotNull(page.Find("#spec-valid"));
        Assert.Contains("name: quickstart", page.Find("textarea").GetAttribute("value") ?? page.Find("textarea").TextContent);

        var broken = ExampleSpecs.All["quickstart"].Replace("  steps: 80", "  steps: -5", StringComparison.Ordinal);
        var line = broken.Split('\n').ToList().FindIndex(l => l.Contains("steps: -5", StringComparison.Ordinal)) + 1;
        page.Find("textarea").Input(broken);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#spec-invalid")), TimeSpan.FromSeconds(5));
        var error = page.Find(".fl-spec-error");
        Assert.Contains($"line {line}", error.TextContent);
        Assert.Contains("train.steps", error.TextContent);
        Assert.Contains("steps: -5", error.QuerySelector("pre")!.TextContent);
        Assert.True(page.Find("#submit").HasAttribute("disabled"));
    }
}
