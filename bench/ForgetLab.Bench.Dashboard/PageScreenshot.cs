using Microsoft.Playwright;

namespace ForgetLab.Bench.Dashboard;

/// <summary>
/// A full-page screenshot of one dashboard page of a running platform (e.g. <c>./forgetlab up</c>),
/// taken through the interactive circuit, not the prerender: signs in with a key, opens the page,
/// waits for a selector and for the page to settle, and saves the PNG. For the docs' screenshots:
/// <c>dotnet run --project bench/ForgetLab.Bench.Dashboard -c Release -- screenshot URL KEY PATH OUT.png [SELECTOR]</c>
/// (FORGETLAB_SCREENSHOT_HEIGHT sets the window's height, 900 by default; FORGETLAB_SCREENSHOT_FULLPAGE=0 keeps to the window).
/// </summary>
public static class PageScreenshot
{
    public static async Task Run(string[] args)
    {
        if (args.Length < 4)
        {
            Console.Error.WriteLine("usage: screenshot BASE_URL API_KEY PAGE_PATH OUT.png [WAIT_FOR_SELECTOR]");
            Environment.Exit(2);
        }
        var (baseUrl, key, path, output) = (new Uri(args[0]), args[1], args[2], Path.GetFullPath(args[3]));
        var selector = args.Length > 4 ? args[4] : "main";
        // Tall enough for the whole page: a full-page shot of a shorter viewport resizes it, and the layout's drawer then covers the page.
        var height = int.Parse(Environment.GetEnvironmentVariable("FORGETLAB_SCREENSHOT_HEIGHT") ?? "900", System.Globalization.CultureInfo.InvariantCulture);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("FORGETLAB_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox"],
        });
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(baseUrl.ToString());
        await page.WaitForSelectorAsync("#apiKey");
        await page.FillAsync("#apiKey", key);
        await page.ClickAsync("#sign-in");
        await page.WaitForSelectorAsync("#signed-in-as");

        await page.GotoAsync(new Uri(baseUrl, path).ToString());
        await page.WaitForSelectorAsync(selector, new() { Timeout = 30_000 });
        // Let the circuit connect and the charts draw (MudBlazor sizes them after the first render).
        await page.WaitForTimeoutAsync(3000);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await page.ScreenshotAsync(new() { Path = output, FullPage = Environment.GetEnvironmentVariable("FORGETLAB_SCREENSHOT_FULLPAGE") != "0" });
        Console.WriteLine($"saved {output}");
    }
}
