using System.Text;
using Alba;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class HttpConventionsTests(AppFixture app)
{
    [Fact]
    public async Task The_root_leads_to_the_API_reference_and_API_answers_are_not_cached()
    {
        await app.Host.Scenario(s =>
        {
            s.Get.Url("/");
            s.StatusCodeShouldBe(302);
            s.Header("Location").SingleValueShouldEqual("/scalar");
        });
        var signedUp = await app.Host.Scenario(s =>
        {
            s.Post.Json(Api.NewSignUp(Api.NewEmail())).ToUrl("/api/auth/signup");
            s.StatusCodeShouldBe(201);
        });
        signedUp.Context.Response.Headers.CacheControl.ToString().ShouldBe("no-store");
    }

    [Fact]
    public async Task Unknown_route_is_404_problem()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/no-such-thing");
            s.StatusCodeShouldBe(404);
        });
        await result.ProblemAsync(404, "not_found");
    }

    [Fact]
    public async Task Wrong_method_is_405_problem()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Put.Json(new { }).ToUrl("/api/auth/login");
            s.StatusCodeShouldBe(405);
        });
        await result.ProblemAsync(405, "method_not_allowed");
    }

    [Fact]
    public async Task Malformed_json_is_400_problem()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Text("{\"email\": \"a@b.c\", \"password\": ").ToUrl("/api/auth/login");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        await result.ProblemAsync(400, "malformed_json");
    }

    [Fact]
    public async Task An_oversized_body_is_413_problem()
    {
        var huge = "{\"email\":\"" + new string('a', 1024 * 1024 + 10) + "\",\"password\":\"x\"}";
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Text(huge).ToUrl("/api/auth/login");
            s.WithRequestHeader("Content-Type", "application/json");
            s.WithRequestHeader("Content-Length", Encoding.UTF8.GetByteCount(huge).ToString());
            s.StatusCodeShouldBe(413);
        });
        await result.ProblemAsync(413, "payload_too_large");
    }

    [Fact]
    public async Task A_given_request_id_is_echoed_and_put_in_problems()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/me");
            s.WithRequestHeader("X-Request-Id", "client-req-42");
            s.StatusCodeShouldBe(401);
            s.Header("X-Request-Id").SingleValueShouldEqual("client-req-42");
        });
        var problem = await result.ProblemAsync(401, "unauthenticated");
        problem["requestId"]!.GetValue<string>().ShouldBe("client-req-42");
    }

    [Fact]
    public async Task Log_lines_written_during_a_request_carry_its_request_id()
    {
        var requestId = $"log-{Guid.NewGuid():N}";
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email = Api.NewEmail(), password = "wrong-password" }).ToUrl("/api/auth/login");
            s.WithRequestHeader("X-Request-Id", requestId);
            s.StatusCodeShouldBe(401);
        });

        var lines = app.Logs.Lines.Where(l => l.Scope.TryGetValue("RequestId", out var id) && Equals(id, requestId)).ToList();
        lines.ShouldContain(l => l.Message.Contains("Failed sign-in"));
    }

    [Fact]
    public async Task A_malformed_request_id_is_replaced_by_a_generated_one()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/health");
            s.WithRequestHeader("X-Request-Id", "bad id with spaces <script>");
        });
        var id = result.Context.Response.Headers["X-Request-Id"].ToString();
        id.ShouldNotContain(" ");
        id.Length.ShouldBe(32);
    }

    [Fact]
    public async Task Security_headers_are_set()
    {
        var result = await app.Host.Scenario(s => s.Get.Url("/api/health"));
        var headers = result.Context.Response.Headers;
        headers["X-Content-Type-Options"].ToString().ShouldBe("nosniff");
        headers["X-Frame-Options"].ToString().ShouldBe("DENY");
        headers["Content-Security-Policy"].ToString().ShouldContain("default-src 'none'");
    }

    [Fact]
    public async Task Cors_allows_a_configured_origin_only()
    {
        var allowed = await app.Host.Scenario(s =>
        {
            s.ConfigureHttpContext(c =>
            {
                c.Request.Method = "OPTIONS";
                c.Request.Path = "/api/auth/login";
                c.Request.Headers.Origin = "https://app.example.com";
                c.Request.Headers.AccessControlRequestMethod = "POST";
            });
            s.StatusCodeShouldBe(204);
        });
        allowed.Context.Response.Headers.AccessControlAllowOrigin.ToString().ShouldBe("https://app.example.com");

        var other = await app.Host.Scenario(s =>
        {
            s.ConfigureHttpContext(c =>
            {
                c.Request.Method = "OPTIONS";
                c.Request.Path = "/api/auth/login";
                c.Request.Headers.Origin = "https://evil.example.com";
                c.Request.Headers.AccessControlRequestMethod = "POST";
            });
            s.StatusCodeShouldBe(204);
        });
        other.Context.Response.Headers.AccessControlAllowOrigin.ToString().ShouldBeEmpty();
    }
}
