namespace BaseAgency.Identity;

/// <summary>The seed's roles, ordered by what they may do: each may do everything the one before may.</summary>
public enum Role { Viewer, Member, Manager, Admin, SuperAdmin }

/// <summary>Authorization policy names; endpoints ask for the least role that may call them.</summary>
public static class Policies
{
    public const string Viewer = "role:viewer";           // reads
    public const string Member = "role:member";           // generates
    public const string Manager = "role:manager";         // projects and API keys
    public const string Admin = "role:admin";             // members, billing, settings
    public const string SuperAdmin = "role:super_admin";  // platform operator routes

    public static readonly IReadOnlyDictionary<string, Role> Minimum = new Dictionary<string, Role>
    {
        [Viewer] = Role.Viewer, [Member] = Role.Member, [Manager] = Role.Manager,
        [Admin] = Role.Admin, [SuperAdmin] = Role.SuperAdmin,
    };
}
