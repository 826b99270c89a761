using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class OpenApiContractTests(AppFixture app)
{
    /// <summary>
    /// Generated SDKs name their methods after operation ids and call these routes: a change here breaks
    /// every client, so it is made on purpose (by editing openapi-operations.txt), never by a refactoring.
    /// </summary>
    [Fact]
    public async Task Operation_ids_and_routes_are_the_published_contract()
    {
        var doc = await (await app.Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).JsonAsync();

        var operations = doc["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => $"{op.Key.ToUpperInvariant()} {path.Key} {op.Value!["operationId"]}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        var published = File.ReadAllLines(Repository.PathOf("src", "BaseAgency.Tests", "Http", "openapi-operations.txt"))
            .Where(line => line.Length > 0).Order(StringComparer.Ordinal).ToList();
        operations.ShouldBe(published);
    }
}
