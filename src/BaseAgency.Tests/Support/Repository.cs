namespace BaseAgency.Tests.Support;

/// <summary>The checkout the tests run from, for tests that read the source tree itself.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BaseAgency.sln"))) return dir.FullName;
        throw new InvalidOperationException("The tests run outside the repository (no BaseAgency.sln above them).");
    }
}
