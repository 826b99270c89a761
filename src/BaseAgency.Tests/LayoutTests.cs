using System.Reflection;
using System.Text.RegularExpressions;
using BaseAgency.Tests.Support;
using FastEndpoints;

namespace BaseAgency.Tests;

/// <summary>
/// The layout the design asks for, checked: a use case is one folder under features/ with its endpoint,
/// handler and validator; features lean on the shared folders, never on each other; the shared folders
/// never import each other in circles; Wolverine, not the feature, commits the work.
/// </summary>
public sealed partial class LayoutTests
{
    private static readonly Assembly App = typeof(Program).Assembly;
    private static readonly string Features = Repository.PathOf("features");

    [Fact]
    public void Every_endpoint_lives_in_its_use_case_folder_beside_its_handler()
    {
        var endpoints = App.GetTypes().Where(t => t is { IsAbstract: false } && t.IsAssignableTo(typeof(BaseEndpoint))).ToList();
        endpoints.Count.ShouldBeGreaterThan(30);

        foreach (var endpoint in endpoints)
        {
            var useCase = UseCaseOf(endpoint);
            endpoint.Name.ShouldBe($"{useCase}Endpoint");
            File.Exists(Path.Combine(Features, useCase, $"{useCase}Endpoint.cs")).ShouldBeTrue($"features/{useCase}/{useCase}Endpoint.cs");
            var handler = App.GetType($"BaseAgency.Features.{useCase}.{useCase}Handler");
            handler.ShouldNotBeNull($"{useCase} has no {useCase}Handler");
            File.Exists(Path.Combine(Features, useCase, $"{useCase}Handler.cs")).ShouldBeTrue($"features/{useCase}/{useCase}Handler.cs");
        }
    }

    [Fact]
    public void Every_validator_lives_in_its_use_case_folder()
    {
        var validators = App.GetTypes().Where(t => t is { IsAbstract: false, BaseType.IsGenericType: true } &&
                                                   t.BaseType.GetGenericTypeDefinition() == typeof(Validator<>)).ToList();
        validators.ShouldNotBeEmpty();
        foreach (var validator in validators)
        {
            var useCase = UseCaseOf(validator);
            validator.Name.ShouldBe($"{useCase}Validator");
            File.Exists(Path.Combine(Features, useCase, $"{useCase}Validator.cs")).ShouldBeTrue($"features/{useCase}/{useCase}Validator.cs");
        }
    }

    [Fact]
    public void Every_feature_folder_is_a_use_case_with_a_handler()
    {
        foreach (var folder in Directory.GetDirectories(Features).Select(Path.GetFileName))
            File.Exists(Path.Combine(Features, folder!, $"{folder}Handler.cs")).ShouldBeTrue($"features/{folder} has no {folder}Handler.cs");
        Directory.Exists(Repository.PathOf("src", "BaseAgency", "Features")).ShouldBeFalse("use cases belong under the top-level features/");
    }

    [Fact]
    public void Features_never_depend_on_each_other()
    {
        foreach (var file in Directory.GetFiles(Features, "*.cs", SearchOption.AllDirectories))
        {
            var own = Path.GetFileName(Path.GetDirectoryName(file))!;
            var others = FeatureReference().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).Where(f => f != own).Distinct();
            others.ShouldBeEmpty($"{Path.GetRelativePath(Repository.Root, file)} reaches into another feature");
        }
    }

    [Fact]
    public void Features_leave_the_transaction_and_the_outbox_to_Wolverine()
    {
        foreach (var file in Directory.GetFiles(Features, "*.cs", SearchOption.AllDirectories))
        {
            var code = File.ReadAllText(file);
            code.ShouldNotContain(nameof(Wolverine.Marten.MartenOutbox), customMessage: file);
            // Running a job commits in steps on purpose (see its handler); every other use case is one transaction.
            if (!file.Contains($"{Path.DirectorySeparatorChar}RunGenerationJob{Path.DirectorySeparatorChar}"))
                code.ShouldNotContain("SaveChangesAsync(", customMessage: file);
        }
    }

    [Fact]
    public void Shared_folders_do_not_import_each_other_in_circles()
    {
        var source = Repository.PathOf("src", "BaseAgency");
        var folders = Directory.GetDirectories(source).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj" or "Properties")).ToHashSet();
        var imports = folders.ToDictionary(f => f!, f => Directory.GetFiles(Path.Combine(source, f!), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => SharedReference().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .Where(other => other != f && folders.Contains(other))
            .ToHashSet());

        var cycles = new List<string>();
        foreach (var (folder, uses) in imports)
        foreach (var other in uses)
            if (Reaches(imports, other, folder, [])) cycles.Add($"{folder} → {other} → … → {folder}");
        cycles.ShouldBeEmpty();
    }

    private static bool Reaches(Dictionary<string, HashSet<string>> imports, string from, string to, HashSet<string> seen) =>
        from == to || (seen.Add(from) && imports.GetValueOrDefault(from, []).Any(next => Reaches(imports, next, to, seen)));

    private static string UseCaseOf(Type type)
    {
        type.Namespace.ShouldNotBeNull();
        type.Namespace.ShouldStartWith("BaseAgency.Features.", customMessage: $"{type.Name} is not in a feature folder");
        return type.Namespace["BaseAgency.Features.".Length..];
    }

    [GeneratedRegex(@"\bBaseAgency\.Features\.(\w+)")]
    private static partial Regex FeatureReference();

    [GeneratedRegex(@"\bBaseAgency\.(\w+)")]
    private static partial Regex SharedReference();
}
