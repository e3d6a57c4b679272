namespace ForgetLab.Dashboard;

/// <summary>The dashboard's URLs, in one place for pages, links and the host's sign-in endpoints.</summary>
public static class DashboardRoutes
{
    public const string SignIn = "/account/signin";
    public const string SignOut = "/account/signout";
    public const string Overview = "/";
    public const string Submit = "/submit";
    public const string Compare = "/compare";
    public const string Board = "/board";
    public const string Pool = "/pool";

    public static string Experiment(string experimentId) => $"/experiments/{Uri.EscapeDataString(experimentId)}";

    public static string Run(string experimentId, string runId) => $"/experiments/{Uri.EscapeDataString(experimentId)}/runs/{Uri.EscapeDataString(runId)}";

    public static string ReportExport(string experimentId, string format) => $"/experiments/{Uri.EscapeDataString(experimentId)}/report.{format}";
}
