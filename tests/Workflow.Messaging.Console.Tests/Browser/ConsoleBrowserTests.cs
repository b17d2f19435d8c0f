using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Workflow.Messaging.Console.Tests.Browser;

/// <summary>
/// The console in a real Chromium against a real coordinator host: each test arranges through the
/// HTTP API and then acts and watches only through the page.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleBrowserTests(ConsoleFixture fixture)
{
    private ConsoleHost Host => fixture.Host;

    [Fact]
    public async Task Order_pipeline_nodes_turn_green_live_while_the_page_stays_open()
    {
        var definition = ConsoleHost.Sample("order-pipeline.json");
        // Reserving takes seconds, and the execution is paused before the page opens, so the page
        // always opens before the pipeline ends however slow the machine; resuming it is the page's job.
        definition["nodes"]![1]!["parameters"]!["duration"] = "6s";
        var id = await Host.StartAsync(definition, Input("order-pipeline.input.json"));
        await Host.WaitForStatusAsync(id, "running");
        (await Host.Api.PostAsync($"/api/executions/{id}/pause", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Host.WaitForStatusAsync(id, "paused");

        var page = await fixture.OpenAsync($"/ui/executions/{id}");
        await page.EvaluateAsync("() => { window.openedOnce = true; }");
        await Expect(page.Locator("#execution[data-live='true']")).ToBeAttachedAsync();
        (await Node(page, "confirm").GetAttributeAsync("data-state")).Should().Be("pending", "nothing new is dispatched while paused");

        await page.ClickAsync("button[data-action='resume']");
        await Expect(page.Locator("#action-result")).ToHaveTextAsync("resume: accepted");
        await Expect(Node(page, "validate")).ToHaveAttributeAsync("data-state", "succeeded");
        await Expect(Node(page, "confirm")).ToHaveAttributeAsync("data-state", "succeeded");
        await Expect(page.Locator("#execution-status")).ToHaveTextAsync("succeeded");
        await Expect(Node(page, "reject")).ToHaveAttributeAsync("data-state", "skipped");
        await Expect(Node(page, "reserve")).ToHaveAttributeAsync("data-item-counts", "succeeded=3");
        (await page.EvaluateAsync<bool>("() => window.openedOnce === true")).Should().BeTrue("the nodes changed colour in place, not by reloading the page");

        await Node(page, "charge").ClickAsync();
        await Expect(page.Locator("#panel .node-panel")).ToHaveAttributeAsync("data-node", "charge");
        await Expect(page.Locator("#panel .attempts tbody td").Nth(2)).ToHaveTextAsync("2");
        await Expect(page.Locator("#panel")).ToContainTextAsync("payment gateway busy");
        await Expect(page.Locator("#timeline .lane[data-node='charge']")).ToContainTextAsync("2 attempts");
        await Expect(page.Locator("a.seq")).ToHaveAttributeAsync("href", new Regex(Regex.Escape(Uri.EscapeDataString($"ExecutionId = '{id}'"))));
        await Expect(page.Locator("a.queue").First).ToHaveAttributeAsync("href", "http://127.0.0.1:15672/#/queues/%2F/node-pool-default");
        await ConsoleFixture.ScreenshotAsync(page, "execution-order-pipeline");
    }

    [Fact]
    public async Task Pause_holds_the_next_node_resume_finishes_and_a_pause_after_the_end_shows_the_api_refusal()
    {
        // An approval gate holds the execution running for as long as the test needs: no race with a timer.
        var definition = Chain("pausable", ("gate", """{ "type": "approval", "parameters": { "timeout": "1h" } }"""),
            ("work", """{ "type": "delay", "parameters": { "duration": "10ms" } }"""));
        definition["connections"]![0]!["output"] = "approved";
        var id = await Host.StartAsync(definition, new { });
        var page = await fixture.OpenAsync($"/ui/executions/{id}");
        await Expect(Node(page, "gate")).ToHaveAttributeAsync("data-state", "waiting");

        await page.ClickAsync("button[data-action='pause']");
        await Expect(page.Locator("#action-result")).ToHaveTextAsync("pause: accepted");
        await Expect(page.Locator("#execution-status")).ToHaveTextAsync("paused");
        await Node(page, "gate").ClickAsync();
        await page.ClickAsync("#panel button[data-decision='true']");
        await Expect(page.Locator("#action-result")).ToHaveTextAsync("approval: accepted");
        await Expect(Node(page, "gate")).ToHaveAttributeAsync("data-state", "succeeded");
        (await Node(page, "work").GetAttributeAsync("data-state")).Should().BeOneOf(["pending", "ready"], "nothing new is dispatched while paused");
        (await page.Locator("#execution-status").TextContentAsync()).Should().Be("paused");
        await ConsoleFixture.ScreenshotAsync(page, "execution-paused");

        await page.ClickAsync("button[data-action='resume']");
        await Expect(page.Locator("#action-result")).ToHaveTextAsync("resume: accepted");
        await Expect(Node(page, "work")).ToHaveAttributeAsync("data-state", "succeeded");
        await Expect(page.Locator("#execution-status")).ToHaveTextAsync("succeeded");

        await page.ClickAsync("button[data-action='pause']");
        await Expect(page.Locator("#action-result")).ToHaveClassAsync("refusal");
        await Expect(page.Locator("#action-result")).ToContainTextAsync($"pause refused: 409 Conflict: Execution {id} is succeeded; pause applies to running executions.");
    }

    [Fact]
    public async Task Approving_the_expense_approval_in_the_node_panel_pays_the_expense()
    {
        var id = await Host.StartAsync(ConsoleHost.Sample("approval-flow.json"), new { band = "large", amount = 120 });
        var page = await fixture.OpenAsync($"/ui/executions/{id}");

        await Expect(Node(page, "manager")).ToHaveAttributeAsync("data-state", "waiting");
        await Node(page, "manager").ClickAsync();
        await page.FillAsync("#decision-comment", "within budget");
        await ConsoleFixture.ScreenshotAsync(page, "execution-approval-waiting");
        await page.ClickAsync("#panel button[data-decision='true']");

        await Expect(page.Locator("#action-result")).ToHaveTextAsync("approval: accepted");
        await Expect(Node(page, "pay")).ToHaveAttributeAsync("data-state", "succeeded");
        await Expect(Node(page, "notifyRejected")).ToHaveAttributeAsync("data-state", "skipped");
        await Expect(page.Locator("#execution-status")).ToHaveTextAsync("succeeded");
        await Expect(page.Locator("#panel .node-panel")).ToContainTextAsync("within budget");
    }

    [Fact]
    public async Task Retrying_a_failed_execution_from_its_page_runs_the_failed_node_again_and_finishes()
    {
        var id = await Host.StartAsync(Chain("flaky-export",
            ("load", """{ "type": "set", "parameters": { "values": { "rows": 3 } } }"""),
            ("export", """{ "type": "fail", "parameters": { "failTimes": 1, "message": "export target refused the upload" } }"""),
            ("notify", """{ "type": "set", "parameters": { "values": { "done": true } } }""")), new { });
        var page = await fixture.OpenAsync($"/ui/executions/{id}");

        await Expect(page.Locator("#execution-status")).ToHaveTextAsync("failed");
        await Expect(Node(page, "export")).ToHaveAttributeAsync("data-state", "failed");
        await Node(page, "export").ClickAsync();
        await Expect(page.Locator("#panel .error")).ToContainTextAsync("export target refused the upload");
        await ConsoleFixture.ScreenshotAsync(page, "execution-failed");

        await page.ClickAsync("button[data-action='retry']");
        await Expect(page.Locator("#action-result")).ToHaveTextAsync("retry: accepted");
        await Expect(Node(page, "notify")).ToHaveAttributeAsync("data-state", "succeeded");
        await Expect(Node(page, "export")).ToHaveAttributeAsync("data-state", "succeeded");
        await Expect(page.Locator("#execution-status")).ToHaveTextAsync("succeeded");
    }

    [Fact]
    public async Task Uploading_an_invalid_definition_shows_each_problem_on_its_node_and_a_fixed_one_is_stored()
    {
        var page = await fixture.OpenAsync("/ui/definitions/new");
        await page.FillAsync("#definition-text", """
            {
              "id": "broken-flow",
              "nodes": [
                { "id": "fetch", "type": "http", "parameters": { "url": "https://example.test/orders" } },
                { "id": "shape", "type": "transmogrify" },
                { "id": "save", "type": "set", "parameters": { "values": { "ok": true } } }
              ],
              "connections": [
                { "from": "fetch", "to": "shape" },
                { "from": "shape", "to": "save" },
                { "from": "save", "to": "archive" }
              ]
            }
            """);
        await page.ClickAsync("button[data-editor='upload']");

        await Expect(page.Locator("#action-result")).ToContainTextAsync("upload refused: 400");
        await Expect(page.Locator("#preview g.node[data-node='shape']")).ToHaveClassAsync(new Regex("has-problems"));
        await Expect(page.Locator("#preview g.node[data-node='shape'] .badge")).ToHaveTextAsync("1");
        await Expect(page.Locator("#preview .node-problems[data-node='shape']")).ToContainTextAsync("unknown-node-type");
        await Expect(page.Locator("#preview .node-problems[data-node='save']")).ToContainTextAsync("archive");
        await Expect(page.Locator("#preview g.node[data-node='fetch']")).Not.ToHaveClassAsync(new Regex("has-problems"));
        await ConsoleFixture.ScreenshotAsync(page, "definition-problems");

        var text = await page.InputValueAsync("#definition-text");
        await page.FillAsync("#definition-text", text.Replace("transmogrify", "noop", StringComparison.Ordinal)
            .Replace(",\n    { \"from\": \"save\", \"to\": \"archive\" }", "", StringComparison.Ordinal));
        await page.ClickAsync("button[data-editor='upload']");
        await Expect(page.Locator("#action-result")).ToContainTextAsync("stored broken-flow version 1");
        await Expect(page.Locator("#preview .preview")).ToHaveAttributeAsync("data-valid", "true");

        await page.GotoAsync("/ui/definitions/broken-flow");
        await Expect(page.Locator("#graph g.node")).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task The_executions_list_counts_by_status_and_filters_by_status_and_time()
    {
        var succeeded = await Host.StartAsync(Chain("listed", ("only", """{ "type": "set", "parameters": { "values": { "ok": true } } }""")), new { });
        var failed = await Host.StartAsync(Chain("listed", ("only", """{ "type": "fail", "parameters": { "message": "no" } }""")), new { });
        await Host.WaitForStatusAsync(succeeded, "succeeded");
        await Host.WaitForStatusAsync(failed, "failed");

        var page = await fixture.OpenAsync("/ui/executions?workflow=listed");
        await Expect(page.Locator(".counts a[data-status='succeeded'] b")).ToHaveTextAsync("1");
        await Expect(page.Locator(".counts a[data-status='failed'] b")).ToHaveTextAsync("1");
        await Expect(page.Locator("table.executions tbody tr")).ToHaveCountAsync(2);
        await ConsoleFixture.ScreenshotAsync(page, "executions-list");

        await page.ClickAsync(".counts a[data-status='failed']");
        await Expect(page.Locator("table.executions tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator($"table.executions tr[data-execution='{failed}']")).ToBeVisibleAsync();

        await page.FillAsync("input[name=to]", "2000-01-01T00:00");
        await page.ClickAsync("form.filters button");
        await Expect(page.Locator("p.empty")).ToHaveTextAsync("No executions match.");
        await Expect(page.Locator(".counts a[data-status='failed'] b")).ToHaveTextAsync("0");

        await page.GoBackAsync();
        await page.ClickAsync($"a[href='/ui/executions/{failed}']");
        await Expect(page.Locator("#execution-status")).ToHaveTextAsync("failed");
    }

    [Fact]
    public async Task A_queued_execution_shows_as_queued_with_what_it_waits_for_and_turns_running_live_once_admitted()
    {
        // One execution of the workflow at a time; an approval holds the first running as long as the test needs.
        JsonObject Limited()
        {
            var definition = Chain("console-queued", ("gate", """{ "type": "approval", "parameters": { "timeout": "1h" } }"""));
            definition["settings"] = new JsonObject { ["maxConcurrentExecutions"] = 1 };
            return definition;
        }
        var holder = await Host.StartAsync(Limited(), new { });
        await Host.WaitForStatusAsync(holder, "running");
        var queued = await Host.StartAsync(Limited(), new { });
        await Host.WaitForStatusAsync(queued, "queued");

        var page = await fixture.OpenAsync("/ui/executions?workflow=console-queued");
        await Expect(page.Locator(".counts a[data-status='queued'] b")).ToHaveTextAsync("1");
        await Expect(page.Locator($"table.executions tr[data-execution='{queued}'] .badge")).ToHaveAttributeAsync("data-status", "queued");
        await page.ClickAsync(".counts a[data-status='queued']");
        await Expect(page.Locator("table.executions tbody tr")).ToHaveCountAsync(1);

        await page.ClickAsync($"a[href='/ui/executions/{queued}']");
        await Expect(page.Locator("#execution-status")).ToHaveTextAsync("queued");
        await Expect(page.Locator("#waiting-for")).ToHaveTextAsync("workflow:console-queued");
        await Expect(page.Locator("#execution[data-live='true']")).ToBeAttachedAsync();
        await ConsoleFixture.ScreenshotAsync(page, "execution-queued");

        (await Host.Api.PostAsync($"/api/executions/{holder}/cancel", System.Net.Http.Json.JsonContent.Create(new { reason = "make room" })))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Expect(Node(page, "gate")).ToHaveAttributeAsync("data-state", "waiting");
        await Expect(page.Locator("#execution-status")).ToHaveTextAsync("running");
        await Expect(page.Locator("#waiting-for")).ToBeHiddenAsync();

        (await Host.Api.PostAsync($"/api/executions/{queued}/cancel", System.Net.Http.Json.JsonContent.Create(new { reason = "done" })))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_console_calls_without_the_key_cookie_get_401()
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Host.Address });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/ui/executions");
        await Expect(page).ToHaveURLAsync(new Regex("/ui/key"));
        await page.FillAsync("input[name=key]", "not-the-key");
        await page.ClickAsync("form.key-form button");
        await Expect(page.Locator("p.refusal")).ToContainTextAsync("not one of the configured keys");

        var call = await context.APIRequest.PostAsync($"/ui/api/executions/{Guid.NewGuid()}/pause");
        call.Status.Should().Be((int)HttpStatusCode.Unauthorized);
        var cookies = await context.CookiesAsync();
        cookies.Should().NotContain(c => c.Name == "wf-console-key");
        await context.DisposeAsync();
    }

    private static ILocator Node(IPage page, string id) => page.Locator($"#graph g.node[data-node='{id}']");

    private static JsonNode Input(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", file)))!;

    /// <summary>A definition of nodes run one after the other.</summary>
    private static JsonObject Chain(string id, params (string Id, string Json)[] nodes)
    {
        var list = new JsonArray();
        foreach (var (nodeId, json) in nodes)
        {
            var node = JsonNode.Parse(json)!.AsObject();
            node["id"] = nodeId;
            list.Add(node);
        }
        var connections = new JsonArray();
        for (var i = 1; i < nodes.Length; i++)
            connections.Add(new JsonObject { ["from"] = nodes[i - 1].Id, ["to"] = nodes[i].Id });
        return new JsonObject { ["id"] = id, ["nodes"] = list, ["connections"] = connections };
    }
}
