using BaseAgency.Hosting;
using JasperFx;

var builder = WebApplication.CreateBuilder(args);
builder.AddBaseAgency();

var app = builder.Build();
app.UseBaseAgency();

// JasperFx's command line: plain `dotnet run` serves the API; `db-dump`, `db-patch`, `resources`, `codegen`
// and friends come from Marten and Wolverine (see README).
return await app.RunJasperFxCommands(args);

public partial class Program;
