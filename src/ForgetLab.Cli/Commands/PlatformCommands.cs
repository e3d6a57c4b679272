using System.CommandLine;
using System.Net;
using ForgetLab.Cli.Platform;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Runs;
using ForgetLab.Contracts.Tenants;
using Spectre.Console;

namespace ForgetLab.Cli.Commands;

/// <summary>
/// Client commands of the platform's REST API (<c>submit</c>, <c>runs</c>, <c>watch</c>, <c>cancel</c>, <c>usage</c>, …),
/// configured by FORGETLAB_URL and FORGETLAB_API_KEY.
/// </summary>
internal static class PlatformCommands
{
    public static IEnumerable<Command> Create()
    {
        var specFile = new Argument<string>("spec") { Description = "experiment spec (YAML) to submit" };
        var submit = new Command("submit", "submit an experiment to the platform") { specFile };
        submit.SetAction(parse => Guard(async client =>
        {
            var path = parse.GetValue(specFile)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such spec file", path);
            var experiment = await client.PostYaml<ExperimentView>("experiments", await File.ReadAllTextAsync(path));
            AnsiConsole.MarkupLineInterpolated($"submitted [bold]{experiment.ExperimentId}[/]: {experiment.RunIds.Length} runs queued");
            foreach (var run in experiment.RunIds) AnsiConsole.MarkupLineInterpolated($"  {run}");
            AnsiConsole.MarkupLineInterpolated($"[grey]watch it: ./forgetlab watch {experiment.ExperimentId}[/]");
        }));

        var runsExperiment = new Argument<string?>("experiment") { Description = "an experiment id (default: list experiments)", Arity = ArgumentArity.ZeroOrOne };
        var runs = new Command("runs", "list experiments, or the runs of one experiment") { runsExperiment };
        runs.SetAction(parse => Guard(async client =>
        {
            if (parse.GetValue(runsExperiment) is not { } id)
            {
                var experiments = await client.Get<List<ExperimentSummaryDto>>("experiments");
                var table = new Table().AddColumns("experiment", "submitted", "runs", "cancelled", "published");
                foreach (var e in experiments) table.AddRow(Markup.Escape(e.ExperimentId), $"{e.SubmittedAt:u}", $"{e.Runs}", e.Cancelled ? "yes" : "", e.Published ? "yes" : "");
                AnsiConsole.Write(table);
                return;
            }
            AnsiConsole.Write(RunsTable(await client.Get<List<RunSummary>>($"experiments/{Uri.EscapeDataString(id)}/runs")));
        }));

        var watchTarget = new Argument<string>("experiment") { Description = "experiment id to follow until every run has ended" };
        var interval = new Option<double>("--interval") { Description = "seconds between polls", DefaultValueFactory = _ => 2 };
        var watch = new Command("watch", "follow an experiment's runs live until they end") { watchTarget, interval };
        watch.SetAction(parse => Guard(async client =>
        {
            var id = Uri.EscapeDataString(parse.GetValue(watchTarget)!);
            List<RunSummary> current = await client.Get<List<RunSummary>>($"experiments/{id}/runs");
            await AnsiConsole.Live(RunsTable(current)).StartAsync(async ctx =>
            {
                while (current.Any(r => !IsEnded(r.State)))
                {
                    await Task.Delay(TimeSpan.FromSeconds(parse.GetValue(interval)));
                    current = await client.Get<List<RunSummary>>($"experiments/{id}/runs");
                    ctx.UpdateTarget(RunsTable(current));
                }
            });
            AnsiConsole.MarkupLineInterpolated($"every run of {parse.GetValue(watchTarget)} has ended");
        }));

        var cancelExperiment = new Argument<string>("experiment") { Description = "experiment id" };
        var cancelRun = new Argument<string?>("run") { Description = "one run (default: every run of the experiment)", Arity = ArgumentArity.ZeroOrOne };
        var cancel = new Command("cancel", "cancel an experiment's runs, or one run") { cancelExperiment, cancelRun };
        cancel.SetAction(parse => Guard(async client =>
        {
            var id = Uri.EscapeDataString(parse.GetValue(cancelExperiment)!);
            if (parse.GetValue(cancelRun) is { } run)
                await client.Post<RunView>($"experiments/{id}/runs/{Uri.EscapeDataString(run)}/cancel", new { reason = "cancelled from the CLI" });
            else
                await client.Post<ExperimentView>($"experiments/{id}/cancel", new { reason = "cancelled from the CLI" });
            AnsiConsole.MarkupLine("cancelled");
        }));

        var reportExperiment = new Argument<string>("experiment") { Description = "experiment id" };
        var markdown = new Option<bool>("--markdown") { Description = "print the report as Markdown (report.md)" };
        var report = new Command("report", "the experiment's forgetting report (its ended runs), as `lab run` prints it") { reportExperiment, markdown };
        report.SetAction(parse => Guard(async client =>
        {
            var id = Uri.EscapeDataString(parse.GetValue(reportExperiment)!);
            if (parse.GetValue(markdown))
            {
                Console.Write(await client.GetText($"experiments/{id}/report?format=markdown"));
                return;
            }
            var forgetting = Core.Reports.ReportJson.Deserialize(await client.GetText($"experiments/{id}/report"));
            if (forgetting.Runs.Count == 0) AnsiConsole.MarkupLine("no run has ended yet");
            else ReportTable.Write(forgetting);
        }));

        var compareRuns = new Argument<string[]>("runs")
        {
            Description = "runs as experiment/run (yours) or tenant/experiment/run (yours or published); the first is the reference",
            Arity = new ArgumentArity(2, 8),
        };
        var compare = new Command("compare", "runs side by side: each suite's delta, and each run paired with the first on the same items") { compareRuns };
        compare.SetAction(parse => Guard(async client =>
        {
            var refs = parse.GetValue(compareRuns)!;
            var json = System.Text.Json.Nodes.JsonNode.Parse(await client.GetText($"compare?runs={Uri.EscapeDataString(string.Join(',', refs))}"))!;
            CompareTable.Write(json, Console.Out);
        }));

        var usage = new Command("usage", "your tenant's use of the pool against its quota: devices now, device-hours spent");
        usage.SetAction(parse => Guard(async client => UsageTable.Write(await client.Get<TenantUsage>("usage"), Console.Out)));

        return [submit, runs, watch, cancel, report, compare, usage, Tenant(), ModelCommands.Create(Guard), DatasetCommands.Create(Guard)];
    }

    /// <summary>
    /// <c>tenant set ID [--weight W] [--max-devices N] [--guaranteed-devices G] [--device-hours H] [--name TEXT]</c> (platform admin key): the
    /// options given change, the others keep the tenant's current values (a new tenant gets the API's defaults).
    /// </summary>
    private static Command Tenant()
    {
        var id = new Argument<string>("tenant") { Description = "tenant id" };
        var name = new Option<string?>("--name") { Description = "display name" };
        var weight = new Option<double?>("--weight") { Description = "fair-share weight (> 0)" };
        var maxDevices = new Option<int?>("--max-devices") { Description = "devices the tenant may hold at once" };
        var guaranteed = new Option<int?>("--guaranteed-devices")
        {
            Description = "devices the tenant is guaranteed (≤ --max-devices): lent to others while it is idle, reclaimed by preemption when its work comes",
        };
        var hours = new Option<double?>("--device-hours") { Description = "device-hours budget (default: no limit)" };
        var set = new Command("set", "create a tenant or change its weight, quotas and guaranteed devices (platform admin)") { id, name, weight, maxDevices, guaranteed, hours };
        set.SetAction(parse => Guard(async client =>
        {
            var tenantId = parse.GetValue(id)!;
            TenantSettings? current = null;
            try
            {
                current = (await client.Get<TenantView>($"tenants/{Uri.EscapeDataString(tenantId)}")).Settings;
            }
            catch (PlatformException e) when (e.Status == HttpStatusCode.NotFound)
            {
            }
            var view = await client.Put<TenantView>($"tenants/{Uri.EscapeDataString(tenantId)}", new
            {
                displayName = parse.GetValue(name) ?? current?.DisplayName,
                weight = parse.GetValue(weight) ?? current?.Weight,
                maxConcurrentDevices = parse.GetValue(maxDevices) ?? current?.MaxConcurrentDevices,
                guaranteedDevices = parse.GetValue(guaranteed) ?? current?.GuaranteedDevices,
                deviceHoursBudget = parse.GetValue(hours) ?? current?.DeviceHoursBudget,
            });
            var s = view.Settings;
            AnsiConsole.MarkupLineInterpolated(
                $"tenant [bold]{view.TenantId}[/]: weight {s.Weight}, at most {s.MaxConcurrentDevices} devices, {s.GuaranteedDevices} guaranteed, {(s.DeviceHoursBudget is { } b ? $"{b} device-hours" : "no device-hour limit")}");
        }));
        return new Command("tenant", "tenant settings (platform admin)") { set };
    }

    private static bool IsEnded(RunState state) => state is RunState.Completed or RunState.Failed or RunState.Cancelled or RunState.StoppedEarly;

    private static Table RunsTable(IEnumerable<RunSummary> runs)
    {
        var table = new Table().AddColumns("run", "state", "step", "checkpoints", "preempted", "memory", "waiting");
        foreach (var r in runs)
        {
            var state = r.State.ToString();
            var coloured = r.State switch
            {
                RunState.Completed => $"[green]{state}[/]",
                RunState.Failed => $"[red]{state}[/]",
                RunState.Running or RunState.Evaluating or RunState.Leased => $"[yellow]{state}[/]",
                _ => state,
            };
            table.AddRow(Markup.Escape(r.RunId), coloured, $"{r.LastStep}", $"{r.Checkpoints}", r.Preemptions == 0 ? "" : $"{r.Preemptions}",
                r.MemoryBytes is { } bytes ? ForgetLab.Core.Models.RunMemoryEstimate.Size(bytes) : "", Markup.Escape(r.Waiting ?? ""));
        }
        return table;
    }

    /// <summary>Exit codes as for the lab: 2 for bad input (a 400, a missing file, no key), 1 for anything else.</summary>
    internal static int Guard(Func<PlatformClient, Task> action)
    {
        try
        {
            action(PlatformClient.FromEnvironment()).GetAwaiter().GetResult();
            return 0;
        }
        catch (PlatformException e)
        {
            Console.Error.WriteLine(e.Message);
            return e.Status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.NotFound ? Exit.BadInput : Exit.Failure;
        }
        catch (FileNotFoundException e)
        {
            Console.Error.WriteLine(e.Message);
            return Exit.BadInput;
        }
        catch (InvalidDataException e)
        {
            // A local file refused before anything is sent (a suite header the lab's reader refuses): its file, line and field.
            Console.Error.WriteLine(e.Message);
            return Exit.BadInput;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"cannot reach the platform at {Environment.GetEnvironmentVariable("FORGETLAB_URL")}: {e.Message} (is it up? ./forgetlab up --detach)");
            return Exit.Failure;
        }
    }

    /// <summary>The server's experiment list item (ExperimentsApi.ExperimentSummary).</summary>
    private sealed record ExperimentSummaryDto(string ExperimentId, DateTimeOffset SubmittedAt, int Runs, bool Cancelled, bool Published);
}
