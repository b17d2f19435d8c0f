using Microsoft.Playwright;

namespace Workflow.Messaging.Console.Tests.Browser;

/// <summary>
/// One coordinator and one headless Chromium for the browser tests. The browser is Debian's
/// (deploy/local/browser.sh installs it), driven by Playwright through its executable path:
/// Playwright's own browser download cannot reach its CDN from these machines.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("WF_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public ConsoleHost Host { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: the test results folder that build.sh collects.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), "artifacts", "test-results", "console-screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"No Chromium at {ChromiumPath}: run deploy/local/browser.sh (build.sh test does) or set WF_CHROMIUM.");
        // Executions take seconds on a busy machine; a condition not met in 30 s is a failure.
        Assertions.SetDefaultExpectTimeout(30_000);
        Host = new ConsoleHost();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // CI runs as root, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh browser context (no cookies) on a console page, after giving the API key on the key page.</summary>
    public async Task<IPage> OpenAsync(string path)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.Address,
            ViewportSize = new ViewportSize { Width = 1440, Height = 960 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        // The console asks for the key once; the cookie carries it from then on.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/ui/key"));
        await page.FillAsync("input[name=key]", ConsoleHost.Key);
        await page.ClickAsync("form.key-form button");
        // The URL only, not the page's load event: a busy CI machine once never saw that event
        // within 30 s (Playwright logged network-idle instead); what a test looks for next waits for itself.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(path) + "$"));
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Host is not null)
            await Host.DisposeAsync();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Workflow.Messaging.sln")))
                return directory.FullName;
        return AppContext.BaseDirectory;
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
