using BaseAgency.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shouldly;

namespace BaseAgency.Tests.Identity;

public sealed class AuthOptionsTests
{
    [Fact]
    public void Requiring_verified_e_mail_is_refused_until_e_mail_can_be_verified()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:RequireVerifiedEmail"] = "true" }).Build();
        var services = new ServiceCollection();
        services.AddIdentity(config);

        Should.Throw<OptionsValidationException>(() => services.BuildServiceProvider().GetRequiredService<IOptions<AuthOptions>>().Value)
            .Message.ShouldContain("Auth:RequireVerifiedEmail");
    }
}
