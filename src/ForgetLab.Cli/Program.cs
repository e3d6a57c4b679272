using System.CommandLine;
using ForgetLab.Cli.Commands;

// The `forgetlab` command line: one command group per concern, each in Commands/.
var root = new RootCommand("ForgetLab: measure what fine-tuning teaches and what it makes a model forget.")
{
    LabCommands.Create(),
    BenchCommands.Create(),
    PlotCommands.Create(),
    SearchCommands.Create(),
};
var model = new Command("model", "one Hugging Face model folder: what it is, lm-eval log-likelihoods, greedy generation");
model.Subcommands.Add(ModelInfoCommand.Create());
foreach (var command in ModelScoringCommands.Create()) model.Subcommands.Add(command);
root.Subcommands.Add(model);
foreach (var command in PlatformCommands.Create()) root.Subcommands.Add(command);
return root.Parse(args).Invoke();
