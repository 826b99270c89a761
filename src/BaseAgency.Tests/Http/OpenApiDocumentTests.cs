using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class OpenApiDocumentTests(AppFixture app)
{
    [Fact]
    public async Task Lists_of_strings_read_by_our_own_converter_are_still_arrays_of_strings()
    {
        var doc = await (await app.Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).JsonAsync();
        var tags = doc["components"]!["schemas"]!.AsObject()
            .Where(s => s.Key.Contains("GenerateImage") && s.Value!["properties"]?["tags"] is not null)
            .Select(s => s.Value!["properties"]!["tags"]!).First();
        tags.ToJsonString().ShouldContain("array");
        tags.ToJsonString().ShouldContain("string");
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_operation()
    {
        var result = await app.Host.Scenario(s => s.Get.Url("/openapi/v1.json"));
        var doc = await result.JsonAsync();

        doc["openapi"]!.GetValue<string>().ShouldStartWith("3.1");
        doc["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");

        var operations = doc["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key, Op: o.Value!.AsObject())))
            .ToList();
        operations.Count.ShouldBeGreaterThanOrEqualTo(10);
        foreach (var (path, method, op) in operations)
        {
            op["operationId"]?.GetValue<string>().ShouldNotBeNullOrWhiteSpace($"{method} {path} has no operationId");
            op["summary"]?.GetValue<string>().ShouldNotBeNullOrWhiteSpace($"{method} {path} has no summary");
            op["tags"]!.AsArray().Count.ShouldBe(1, $"{method} {path} has no tag");
        }

        var invite = operations.Single(o => o.Op["operationId"]!.GetValue<string>() == "InviteMember").Op;
        // A session token or, as an alternative, an API key with the scope the operation needs.
        invite["security"]!.AsArray().Select(r => r!.ToJsonString()).ShouldBe(["{\"Bearer\":[]}", "{\"ApiKey\":[\"admin\"]}"]);
        doc["components"]!["securitySchemes"]!["ApiKey"]!["name"]!.GetValue<string>().ShouldBe("X-API-Key");
        operations.Single(o => o.Op["operationId"]!.GetValue<string>() == "CreateApiKey").Op["security"]!.AsArray().Count.ShouldBe(1);
        invite["responses"]!.AsObject().Select(r => r.Key).ShouldBe(["201", "400", "401", "403", "409", "429"], ignoreOrder: true);
        invite["responses"]!["409"]!["content"]!.AsObject().ContainsKey("application/problem+json").ShouldBeTrue();

        var removeMember = operations.Single(o => o.Op["operationId"]!.GetValue<string>() == "RemoveMember").Op;
        removeMember["parameters"]!.AsArray().Single()!["name"]!.GetValue<string>().ShouldBe("userId");

        var generate = operations.Single(o => o.Op["operationId"]!.GetValue<string>() == "GenerateImage").Op;
        generate["responses"]!.AsObject().Select(r => r.Key).ShouldContain("202");
        generate["responses"]!.AsObject().Select(r => r.Key).ShouldContain("402");
        var listJobs = operations.Single(o => o.Op["operationId"]!.GetValue<string>() == "ListJobs").Op;
        listJobs.ContainsKey("requestBody").ShouldBeFalse(); // a GET's filters are query parameters, as clients send them
        var filters = listJobs["parameters"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!);
        filters["cursor"]!["in"]!.GetValue<string>().ShouldBe("query");
        filters["cursor"]!["schema"]!["format"]!.GetValue<string>().ShouldBe("uuid");
        filters["status"]!["schema"]!["enum"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldContain("processing");
        listJobs["responses"]!["401"]!["content"]!.AsObject().ContainsKey("application/problem+json").ShouldBeTrue();
        var download = operations.Single(o => o.Op["operationId"]!.GetValue<string>() == "DownloadFile").Op;
        download["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ShouldBe(["key", "expires", "type", "sig"], ignoreOrder: true);
        operations.Select(o => o.Op["operationId"]!.GetValue<string>()).ShouldContain("HandleStripeWebhook");
        operations.Select(o => o.Op["operationId"]!.GetValue<string>()).ShouldContain("AddProviderKey");

        var problem = doc["components"]!["schemas"]!["ProblemDetails"]!["properties"]!.AsObject();
        problem.ContainsKey("code").ShouldBeTrue();
        problem.ContainsKey("requestId").ShouldBeTrue();
    }

    [Fact]
    public async Task Scalar_serves_the_reference_page()
    {
        var result = await app.Host.Scenario(s => s.Get.Url("/scalar/"));
        (await result.ReadAsTextAsync()).ShouldContain("openapi/v1.json");
    }
}
