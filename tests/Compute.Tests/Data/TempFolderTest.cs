namespace Compute.Tests.Data;

/// <summary>A fresh empty folder per test (<see cref="Dir"/>), deleted after it.</summary>
public abstract class TempFolderTest
{
    /// <summary>The test's own folder under the system temporary directory.</summary>
    protected string Dir { get; private set; } = "";

    [SetUp]
    public void MakeFolder()
    {
        Dir = Path.Combine(Path.GetTempPath(), "compute-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(Dir, recursive: true);
}
