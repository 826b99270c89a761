using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.RateLimiting;

[Collection(AppCollection.Name)]
public sealed class RateLimitDocumentTests(AppFixture app)
{
    [Fact]
    public async Task Limited_operations_document_the_429_problem_and_the_rate_limit_headers()
    {
        var doc = await (await app.Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).JsonAsync();
        var paths = doc["paths"]!;

        foreach (var (path, method) in new[] { ("/api/generations/image", "post"), ("/api/auth/login", "post"), ("/api/me", "get") })
        {
            var responses = paths[path]![method]!["responses"]!;
            responses["429"]!["content"]!.AsObject().ContainsKey("application/problem+json").ShouldBeTrue(path);
            responses["429"]!["headers"]!.AsObject().Select(h => h.Key).ShouldContain("Retry-After");
            var success = responses.AsObject().First(r => r.Key.StartsWith('2')).Value!;
            var headers = success["headers"]!.AsObject().Select(h => h.Key).ToList();
            foreach (var header in new[] { "RateLimit-Policy", "RateLimit", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset" })
                headers.ShouldContain(header);
        }

        // Anonymous reads are not limited, so they promise no 429.
        paths["/api/plans"]!["get"]!["responses"]!.AsObject().ContainsKey("429").ShouldBeFalse();
    }
}
