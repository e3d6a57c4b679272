using ForgetLab.Contracts.Models;

namespace ForgetLab.Cli.Commands;

/// <summary>Prints the model list as plain text, one model a line; an adapter shows its parameters and its base.</summary>
internal static class ModelTable
{
    public static void Write(IReadOnlyList<ModelRecord> models, TextWriter output)
    {
        if (models.Count == 0)
        {
            output.WriteLine("no models registered (forgetlab models upload DIR --name N)");
            return;
        }
        output.WriteLine($"{"name",-24} {"parameters",12}  {"layers×embd",-12} {"source",-24} registered");
        foreach (var m in models)
            output.WriteLine(m.Adapter is { } a
                ? $"{m.Name,-24} {a.Parameters,12:N0}  {$"LoRA r={a.Rank}",-12} {$"adapter on {a.BaseModel}",-24} {m.RegisteredAt:u}"
                : $"{m.Name,-24} {m.Architecture.Parameters,12:N0}  {$"{m.Architecture.NLayer}×{m.Architecture.NEmbd}",-12} {m.Source,-24} {m.RegisteredAt:u}");
    }
}
