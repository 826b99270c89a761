using BaseAgency.Plans;

namespace BaseAgency.Features.ListPlans;

public sealed record ListPlans;

public sealed record PlansResponse(IReadOnlyList<Plan> Items);
