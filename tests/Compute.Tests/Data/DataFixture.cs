using System.Text.Json;
using Compute.Tests.Reference;

namespace Compute.Tests.Data;

/// <summary>The cases of tests/reference/fixtures/data.json (gen_data.py) for one op.</summary>
internal static class DataFixture
{
    internal static IEnumerable<TestCaseData> Cases(string op) =>
        ReferenceFixture.Cases("data.json", "data").Where(c => ((JsonElement)c.Arguments[0]!).GetProperty("op").GetString() == op);
}
