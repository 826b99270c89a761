using System.Text.Json.Nodes;
using BaseAgency.Features.AddProviderKey;
using BaseAgency.Identity;
using BaseAgency.Providers.Keys;
using BaseAgency.Tests.Support;
using Npgsql;

namespace BaseAgency.Tests.Features.AddProviderKey;

/// <summary>Bring your own key: validated, sealed, used by jobs, listed by hint, deleted; never shown or leaked.</summary>
[Collection(ProvidersAppCollection.Name)]
public sealed class AddProviderKeyTests(ProvidersAppFixture app)
{
    private static readonly string Secret = FakeProviders.CustomerKey("elevenlabs");

    [Fact]
    public async Task An_organizations_own_key_is_validated_sealed_used_and_never_shown_again()
    {
        var (org, token) = await app.Host.BusinessCustomerAsync();

        // No platform key for ElevenLabs on this server: without the organization's own, jobs are refused.
        await (await app.Host.SubmitAsync(token, "audio", new { text = "hello", provider = "elevenlabs" }, 422)).ProblemAsync(422, "provider_key_missing");

        await (await app.Host.AddProviderKeyAsync(token, "elevenlabs", "not-a-real-key", 422)).ProblemAsync(422, "provider_key_invalid");
        var added = await (await app.Host.AddProviderKeyAsync(token, "elevenlabs", Secret, 201)).JsonAsync();
        added["hint"]!.GetValue<string>().ShouldBe("****1234");
        added["valid"]!.GetValue<bool>().ShouldBeTrue();
        added.ToJsonString().ShouldNotContain(Secret);

        var job = await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, "audio",
            new { text = "Our own voice, on our own key.", provider = "elevenlabs", voice = "voice-42" })).IdOf());
        job["status"]!.GetValue<string>().ShouldBe("completed");
        job["providerRequestId"]!.GetValue<string>().ShouldStartWith("el-");
        var call = app.Fakes.Requests.Single(r => r.Provider == "elevenlabs" && r.Body?["text"]?.GetValue<string>() == "Our own voice, on our own key.");
        call.Key.ShouldBe(Secret);
        call.Path.ShouldBe("/elevenlabs/v1/text-to-speech/voice-42");
        call.Body!["model_id"]!.GetValue<string>().ShouldBe("eleven_multilingual_v2");

        var keys = await app.Host.GetAsJson<JsonArray>("/api/provider-keys", token);
        var listed = keys.Single()!;
        listed["provider"]!.GetValue<string>().ShouldBe("elevenlabs");
        listed["requests"]!.GetValue<long>().ShouldBe(1);
        listed["lastUsedAt"].ShouldNotBeNull();
        keys.ToJsonString().ShouldNotContain(Secret);

        // Nowhere at rest or in passing: not in the stored document, the queue tables, any log line.
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var table in new[] { "agency.mt_doc_providerkey", "agency.mt_doc_generationjob", "agency.wolverine_incoming_envelopes", "agency.mt_events" })
            {
                var column = table.Contains("wolverine") ? "encode(body, 'escape')" : "data::text";
                await using var command = new NpgsqlCommand($"select count(*) from {table} where {column} like @secret", connection);
                command.Parameters.AddWithValue("secret", $"%{Secret}%");
                ((long)(await command.ExecuteScalarAsync())!).ShouldBe(0, table);
            }
        }
        app.Logs.Lines.ShouldNotContain(l => l.Message.Contains(Secret) || (l.Exception != null && l.Exception.ToString().Contains(Secret)) ||
                                            l.Scope.Values.Any(v => v != null && v.ToString()!.Contains(Secret)));

        await app.Host.Scenario(s =>
        {
            s.Delete.Url("/api/provider-keys/elevenlabs");
            s.As(token);
            s.StatusCodeShouldBe(204);
        });
        (await app.Host.GetAsJson<JsonArray>("/api/provider-keys", token)).ShouldBeEmpty();
        await (await app.Host.SubmitAsync(token, "audio", new { text = "hello", provider = "elevenlabs" }, 422)).ProblemAsync(422, "provider_key_missing");
    }

    [Fact]
    public async Task Keys_are_for_admins_and_stay_in_their_organization()
    {
        var (_, token) = await app.Host.BusinessCustomerAsync();
        var member = await app.Host.AddMemberAsync(token, Role.Manager);
        var (_, stranger) = await app.Host.BusinessCustomerAsync();
        await app.Host.AddProviderKeyAsync(token, "openai", FakeProviders.CustomerKey("openai"), 201);

        await app.Host.AddProviderKeyAsync(member.Tokens.AccessToken, "openai", FakeProviders.CustomerKey("openai"), 403);
        (await app.Host.GetAsJson<JsonArray>("/api/provider-keys", stranger)).ShouldBeEmpty();
        await app.Host.Scenario(s =>
        {
            s.Delete.Url("/api/provider-keys/openai");
            s.As(stranger);
            s.StatusCodeShouldBe(404);
        });
        var bad = await (await app.Host.AddProviderKeyAsync(token, "acme-ai", "whatever-key", 400)).ProblemAsync(400, "validation_failed");
        bad["errors"]!["provider"].ShouldNotBeNull();
    }
}

/// <summary>What the provider's answer about a key means, and how a key command prints.</summary>
public sealed class ProviderKeyCheckTests
{
    [Fact]
    public void Only_a_key_the_provider_accepted_goes_on_to_be_stored()
    {
        AddProviderKeyHandler.Refusal("openai", KeyCheck.Accepted).ShouldBeNull();
        AddProviderKeyHandler.Refusal("openai", KeyCheck.Refused)!.StatusCode.ShouldBe(422);
        AddProviderKeyHandler.Refusal("openai", KeyCheck.Unreachable)!.StatusCode.ShouldBe(503);
    }

    [Fact]
    public void The_command_never_prints_its_key()
    {
        var command = new BaseAgency.Features.AddProviderKey.AddProviderKey(Guid.NewGuid(), Guid.NewGuid(), "openai", new BaseAgency.Secrets.Secret("sk-very-secret-1234"));

        command.ToString().ShouldNotContain("sk-very-secret-1234");
        command.ToString().ShouldContain("openai");
    }

    [Fact]
    public void A_provider_is_named_as_its_key_is_stored() => ProviderKey.IdFor(" OpenAI ").ShouldBe("openai");
}
