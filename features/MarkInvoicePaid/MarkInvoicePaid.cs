namespace BaseAgency.Features.MarkInvoicePaid;

public sealed record MarkInvoicePaid(Guid InvoiceId, Guid OperatorId);
