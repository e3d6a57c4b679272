using ForgetLab.Contracts.Common;
using ForgetLab.Dashboard.Components;
using ForgetLab.Dashboard.Data;
using Microsoft.AspNetCore.Components;

namespace ForgetLab.Dashboard.Pages.Submit;

/// <summary>
/// A YAML editor pre-filled from the examples, checked as one types (debounced, with the API's own
/// spec loader), submitted through the same grain call as the API; errors name their line.
/// </summary>
public partial class SubmitPage : DashboardPage
{
    private string _example = ExampleSpecs.All.Keys.FirstOrDefault() ?? "";
    private string _yaml = ExampleSpecs.All.Values.FirstOrDefault() ?? "";
    private IReadOnlyList<FieldError> _errors = [];
    private string? _submitError;
    private bool _submitting;

    protected override void OnInitialized() => Check();

    private void LoadExample(string name)
    {
        _example = name;
        _yaml = ExampleSpecs.All[name];
        _submitError = null;
        Check();
    }

    private void Edit(string text)
    {
        _yaml = text;
        _submitError = null;
        Check();
    }

    private void Check() => Show(Data.Validate(_yaml));

    private void Show(IReadOnlyList<FieldError> errors)
    {
        _errors = [.. errors.OrderBy(e => e.Line)];
    }

    private async Task Submit()
    {
        _submitting = true;
        try
        {
            var outcome = await Data.Submit(await User(), _yaml, CancellationToken.None);
            if (outcome.Succeeded)
            {
                Navigation.NavigateTo(DashboardRoutes.Experiment(outcome.Value!));
                return;
            }

            _submitError = outcome.Error;
            if (outcome.Errors.Count > 0) Show(outcome.Errors);
        }
        finally
        {
            _submitting = false;
        }
    }

    private string? LineText(int line)
    {
        if (line <= 0) return null;
        var lines = _yaml.Split('\n');
        return line <= lines.Length ? lines[line - 1].TrimEnd('\r') : null;
    }
}
