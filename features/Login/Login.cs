using BaseAgency.Secrets;
namespace BaseAgency.Features.Login;

public sealed record LoginRequest(string Email, string Password);

public sealed record Login(string Email, Secret Password);
