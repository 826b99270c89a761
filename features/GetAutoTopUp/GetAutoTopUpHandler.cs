using BaseAgency.Billing;
using BaseAgency.Http;
using Marten;

namespace BaseAgency.Features.GetAutoTopUp;

public static class GetAutoTopUpHandler
{
    public static async Task<Outcome<AutoTopUpView>> Handle(GetAutoTopUp query, IQuerySession session, CancellationToken ct) =>
        await session.AutoTopUpViewAsync(query.OrganizationId, ct);
}
