using BaseAgency.Organizations;

namespace BaseAgency.Tests.Organizations;

public sealed class SlugsTests
{
    [Theory]
    [InlineData("Agência Três Irmãos!", "agencia-tres-irmaos")]
    [InlineData("  ACME -- Studio  ", "acme-studio")]
    [InlineData("!!!", "org")]
    public void Slugs_are_lower_case_ascii(string name, string slug) => Slugs.From(name).ShouldBe(slug);
}
