using JasperFx;
using Marten.Exceptions;
using Marten.Schema;
using Npgsql;

namespace BaseAgency.Http;

public static class DatabaseErrors
{
    /// <summary>A unique index or primary key said no: someone else stored the same thing first.</summary>
    public static bool IsUniqueViolation(this Exception error) =>
        error is DocumentAlreadyExistsException ||
        (error.InnerException ?? error) is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } ||
        error is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
