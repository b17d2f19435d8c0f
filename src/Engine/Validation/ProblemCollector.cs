using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Validation;

/// <summary>Collects problems up to a bound, so a hostile document cannot make the answer huge.</summary>
internal sealed class ProblemCollector(int maxProblems)
{
    private readonly List<DefinitionProblem> _problems = [];
    private bool _truncated;

    public int Count => _problems.Count;

    public void Add(string path, string code, string message)
    {
        if (_truncated)
            return;
        if (_problems.Count >= maxProblems)
        {
            _truncated = true;
            _problems.Add(new DefinitionProblem
            {
                Path = DefinitionPath.Root,
                Code = DefinitionProblemCodes.TooManyProblems,
                Message = $"More than {maxProblems} problems; the rest are not listed.",
            });
            return;
        }
        _problems.Add(new DefinitionProblem { Path = path, Code = code, Message = message });
    }

    public IReadOnlyList<DefinitionProblem> ToList() => _problems.ToArray();
}
