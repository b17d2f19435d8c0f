namespace Workflow.Messaging.Security.Tests.Code;

/// <summary>The code-node probes of issue 11: scripts written to take a process, a core or its memory.</summary>
public static class CodeNodeProbes
{
    /// <summary>Each probe with the error code it must fail with.</summary>
    public static TheoryData<string, string> All => new()
    {
        { "var o = { get x() { return this.x; } }; return o.x;", "code.recursion-limit" },
        { "var o = { set x(v) { this.x = v; } }; o.x = 1; return 1;", "code.recursion-limit" },
        { "var o = { valueOf() { return this + 1; } }; return o + 1;", "code.recursion-limit" },
        { "function F() { new F(); } new F(); return 1;", "code.recursion-limit" },
        { "return /^(a+)+$/.test(new Array(35).join('a') + '!');", "code.regex-timeout" },
        // Each match looks ahead to the end of 16 M characters for a 'z' that is not there: far past
        // the regex limit on any machine (a plain /x/g replace finishes near the limit on a fast one).
        { "var s = 'x'.repeat(1 << 24); return s.replace(/x(?=[xy]*z)/g, 'yy').length;", "code.regex-timeout" },
        { "return new Array(2e8).join().length;", "code.memory-limit" },
        { "return new Array(1048577).join('x').length;", "code.memory-limit" },
        { "var s = 'x'.repeat(1 << 24); return s.split('').length;", "code.memory-limit" },
        { "var s = 'x'; for (var i = 0; i < 25; i++) s += s; return s.length;", "code.memory-limit" },
        { "return 'x'.padStart(5e7).length;", "code.memory-limit" },
        { "var a = []; while (true) a.push({ n: a.length });", "code.memory-limit" },
        // One built-in call that runs long: stopped inside the call, not between statements.
        { "var a = []; a.length = 4e9; return a.join('').length;", "code.timeout" },
        { "while (true) { }", "code.statement-limit" },
    };

    /// <summary>
    /// A probe that must meet the time limit gets a short one of its own, so that on a slow machine
    /// the other probes still meet their own limit first under the generous default.
    /// </summary>
    public static TimeSpan? TimeoutFor(string expectedCode) => expectedCode == "code.timeout" ? TimeSpan.FromSeconds(2) : null;
}
